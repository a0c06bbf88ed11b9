import { readFileSync } from 'node:fs';
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { STAGE_KINDS } from '../../src/domain/stage-kinds.js';
import { ErrorName, RETRYABLE_ERRORS } from '../../src/errors.js';
import { DEFINITION_FILE } from '../../src/local/stack.js';
import { substituteDefinition } from '../../src/runtime/functions.js';

interface Retrier {
  ErrorEquals: string[];
  BackoffRate?: number;
  MaxAttempts?: number;
}
interface AslState {
  Type: string;
  Resource?: string;
  Next?: string;
  Retry?: Retrier[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  Parameters?: { FunctionName?: string; Payload?: Record<string, unknown> };
  TimeoutSecondsPath?: string;
  SecondsPath?: string;
  Choices?: { Variable: string; StringEquals?: string; Next: string }[];
}

const text = substituteDefinition(readFileSync(DEFINITION_FILE, 'utf8'), (fn) => `arn:aws:lambda:us-east-1:123456789012:function:stepcd-${fn}`);
const definition = JSON.parse(text) as { StartAt: string; States: Record<string, AslState> };
const states = Object.entries(definition.States);
const lambdaTasks = states.filter(([, s]) => s.Type === 'Task');
/** The compensation chain: retried, but never caught (a failing rollback must not loop into itself). */
const ROLLBACK_STATES = ['RollbackBegin', 'RollbackRecord', 'RollbackStep', 'FinishFailed'];

describe('statemachines/deployment.asl.json', () => {
  it('passes asl-validator, given a clone because the validator mutates its input', () => {
    const result = aslValidator(structuredClone(definition), { checkArn: true, checkPaths: true });
    expect(result.errorsText()).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('has a state for every stage kind, reached from Route on the state the last task named', () => {
    const route = definition.States['Route'];
    for (const kind of STAGE_KINDS) {
      expect(definition.States[kind], kind).toBeDefined();
      expect(route?.Choices?.find((c) => c.Variable === '$.route' && c.StringEquals === kind)?.Next).toBe(kind);
    }
  });

  it('goes from a stage task straight to Route: the task advanced, so there is no Advance between stages', () => {
    for (const kind of STAGE_KINDS.filter((k) => k !== 'WAIT' && k !== 'WAIT_APPROVAL')) {
      expect(definition.States[kind]?.Next, kind).toBe('Route');
    }
    expect(definition.States['Begin']?.Next).toBe('Route');
    expect(definition.States['CheckStable']?.Next).toBe('Route');
    // A wait's result is the token's answer: AfterWait goes on to what the task that opened it named.
    expect(definition.States['WAIT']?.Next).toBe('AfterWait');
    expect(definition.States['WAIT_APPROVAL']?.Next).toBe('AfterWait');
    const after = definition.States['AfterWait']?.Choices?.map((c) => c.StringEquals);
    expect(after).toEqual([...STAGE_KINDS.filter((k) => k !== 'WAIT' && k !== 'WAIT_APPROVAL'), 'Advance', 'Complete']);
  });

  it('retries the retryable error names on every Lambda task, with backoff', () => {
    for (const [name, state] of lambdaTasks) {
      const retrier = state.Retry?.find((r) => RETRYABLE_ERRORS.every((e) => r.ErrorEquals.includes(e)));
      expect(retrier, name).toBeDefined();
      expect(retrier!.BackoffRate, name).toBeGreaterThan(1);
    }
  });

  it('sends every failure of the pipeline to rollback, and gives the rollback chain no Catch', () => {
    for (const [name, state] of lambdaTasks) {
      if (ROLLBACK_STATES.includes(name)) {
        // Only the traffic restore is caught, and only forward: RollbackStep then routes traffic itself.
        if (name === 'RollbackBegin') expect(state.Catch?.map((c) => c.Next)).toEqual(['RollbackRecord']);
        else expect(state.Catch, name).toBeUndefined();
        continue;
      }
      const catcher = state.Catch?.find((c) => c.ErrorEquals.includes('States.ALL'));
      // Begin and Queued have touched nothing yet: they end through FinishFailed, which releases what they took.
      expect(catcher?.Next, name).toBe(name === 'Begin' || name === 'Queued' ? 'FinishFailed' : 'RollbackBegin');
    }
  });

  it('runs WAIT as one callback task whose timeout is the WAIT, and WAIT_APPROVAL as one bounded by the stage timeout', () => {
    const wait = definition.States['WAIT']!;
    expect(wait).toMatchObject({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', TimeoutSecondsPath: '$.cursor.waitSeconds' });
    expect(wait.Parameters?.Payload).toMatchObject({ action: 'wait', 'taskToken.$': '$$.Task.Token' });
    // Its timeout is the WAIT's end: caught onward, never retried (a retry would wait the whole duration again).
    expect(wait.Catch?.[0]).toMatchObject({ ErrorEquals: ['States.Timeout'], Next: 'AfterWait' });
    expect(wait.Retry?.flatMap((r) => r.ErrorEquals)).not.toContain('States.Timeout');
    const approval = definition.States['WAIT_APPROVAL']!;
    expect(approval.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(approval.TimeoutSecondsPath).toBe('$.cursor.stage.with.timeoutSeconds');
    expect(approval.Parameters?.Payload?.['taskToken.$']).toBe('$$.Task.Token');
  });

  it('opens every rollback with the traffic restore (the stage Lambda), then records it', () => {
    expect(definition.States['RollbackBegin']).toMatchObject({ Next: 'RollbackRecord', Parameters: { Payload: { action: 'rollback-traffic' } } });
    expect(definition.States['RollbackBegin']?.Parameters?.FunctionName).toContain('stepcd-stage');
    expect(definition.States['RollbackRecord']).toMatchObject({ Next: 'RollbackNeeded', Parameters: { Payload: { action: 'rollback-begin' } } });
  });

  it('queues on a task token with a backstop timeout that loops to Begin, instead of polling', () => {
    const queued = definition.States['Queued']!;
    expect(queued).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      TimeoutSecondsPath: '$.queue.backstopSeconds',
      Next: 'Begin',
    });
    expect(queued.Parameters?.Payload).toMatchObject({ action: 'enqueue', 'taskToken.$': '$$.Task.Token' });
    expect(queued.Catch?.[0]).toMatchObject({ ErrorEquals: ['States.Timeout'], Next: 'Begin' });
  });

  it('names only errors stepcd throws, Step Functions raises or Lambda reports', () => {
    const known = new Set<string>(Object.values(ErrorName));
    for (const [name, state] of states) {
      for (const entry of [...(state.Retry ?? []), ...(state.Catch ?? [])]) {
        for (const error of entry.ErrorEquals) {
          const ok =
            known.has(error) || error.startsWith('States.') || error.startsWith('Lambda.') || ['Error', 'TypeError', 'Sandbox.Timedout'].includes(error);
          expect(ok, `${name}: ${error}`).toBe(true);
        }
      }
    }
  });
});
