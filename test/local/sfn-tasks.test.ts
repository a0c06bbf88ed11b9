import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { ThrottledError } from '../../src/errors.js';
import { startSfnHarness, type SfnHarness } from '../support/stacks/sfn.js';

const invoke = (fn: string, next: object) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: fn, 'Payload.$': '$' },
  ResultSelector: { 'value.$': '$.Payload' },
  ...next,
});

describe('LocalSfn: lambda:invoke tasks', () => {
  let h: SfnHarness;
  beforeEach(async () => {
    h = await startSfnHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('retries a custom error name and succeeds on the second attempt', async () => {
    // Prepare
    let calls = 0;
    h.sfn.registerFunction('flaky', async (event) => {
      calls += 1;
      if (calls === 1) throw new ThrottledError('rate exceeded');
      return { echoed: event };
    });
    const arn = await h.define('retry', {
      StartAt: 'Call',
      States: { Call: invoke('flaky', { Retry: [{ ErrorEquals: ['stepcd.Throttled'], MaxAttempts: 3, IntervalSeconds: 30 }], End: true }) },
    });
    // Act
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'r1', input: '{"n":1}' }));
    await h.sfn.waitForExecution(executionArn!);
    const out = await h.client.send(new DescribeExecutionCommand({ executionArn }));
    // Assess
    expect(out.status).toBe('SUCCEEDED');
    expect(JSON.parse(out.output!)).toEqual({ value: { echoed: { n: 1 } } });
    expect(out.startDate).toBeInstanceOf(Date);
    expect(calls).toBe(2);
    expect(h.sfn.invocations()).toEqual({ flaky: 2 });
    expect(h.sfn.transitions(executionArn!)).toBe(2);
  });

  it('routes a custom error name to its Catch with the Lambda error document as the cause', async () => {
    h.sfn.registerFunction('bad', async () => {
      throw new ThrottledError('still throttled');
    });
    const arn = await h.define('catch', {
      StartAt: 'Call',
      States: {
        Call: invoke('bad', { Catch: [{ ErrorEquals: ['stepcd.Throttled'], ResultPath: '$.error', Next: 'Handled' }], End: true }),
        Handled: { Type: 'Pass', End: true },
      },
    });
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{}' }));
    const done = await h.sfn.waitForExecution(executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    const output = JSON.parse(done.output!);
    expect(output.error.Error).toBe('stepcd.Throttled');
    expect(JSON.parse(output.error.Cause)).toEqual({ errorType: 'stepcd.Throttled', errorMessage: 'still throttled' });
  });

  it('fails the execution with the error name and cause when nothing catches it', async () => {
    h.sfn.registerFunction('boom', async () => {
      throw new TypeError('nope');
    });
    const arn = await h.define('fail', { StartAt: 'Call', States: { Call: invoke('boom', { End: true }) } });
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn: arn }));
    const done = await h.sfn.waitForExecution(executionArn!);
    expect(done).toMatchObject({ status: 'FAILED', error: 'TypeError' });
    expect(JSON.parse(done.cause!)).toEqual({ errorType: 'TypeError', errorMessage: 'nope' });
    const history = await h.client.send(new GetExecutionHistoryCommand({ executionArn }));
    const types = history.events!.map((e) => e.type);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types).toContain('TaskStateEntered');
    expect(types).toContain('TaskFailed');
    expect(types.at(-1)).toBe('ExecutionFailed');
    expect(history.events!.at(-1)!.executionFailedEventDetails?.error).toBe('TypeError');
  });

  it('calls a function named by full ARN, or by an unsubstituted serverless name, with a Lambda-like context', async () => {
    const seen: string[] = [];
    h.sfn.registerFunction('stage', async (_event, context) => {
      seen.push(`${context.functionName}:${context.getRemainingTimeInMillis() > 0}`);
      return 7;
    });
    const arn = await h.define('names', {
      StartAt: 'ByArn',
      States: {
        ByArn: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:stage', ResultPath: '$.a', Next: 'ByServerlessName' },
        ByServerlessName: invoke('${self:service}-${sls:stage}-stage', { ResultPath: '$.b', End: true }),
      },
    });
    const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn: arn }));
    const done = await h.sfn.waitForExecution(executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ a: 7, b: { value: 7 } });
    expect(seen).toEqual(['stage:true', 'stage:true']);
  });

  it('keeps running other executions when one fails', async () => {
    h.sfn.registerFunction('ok', async () => 'fine');
    h.sfn.registerFunction('boom', async () => {
      throw new Error('x');
    });
    const good = await h.define('good', { StartAt: 'Call', States: { Call: invoke('ok', { End: true }) } });
    const bad = await h.define('bad', { StartAt: 'Call', States: { Call: invoke('boom', { End: true }) } });
    const starts = await Promise.all([bad, good, bad, good].map((stateMachineArn) => h.client.send(new StartExecutionCommand({ stateMachineArn }))));
    const results = await Promise.all(starts.map((s) => h.sfn.waitForExecution(s.executionArn!)));
    expect(results.map((r) => r.status)).toEqual(['FAILED', 'SUCCEEDED', 'FAILED', 'SUCCEEDED']);
  });
});
