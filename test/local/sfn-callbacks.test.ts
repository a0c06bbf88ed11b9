import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  TaskTimedOut,
  InvalidOutput,
} from '@aws-sdk/client-sfn';
import { openToken, startSfnHarness, type SfnHarness } from '../support/stacks/sfn.js';

const approval = (timeoutSeconds: number) => ({
  StartAt: 'Approve',
  States: {
    Approve: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'request', Payload: { 'token.$': '$$.Task.Token', 'again.$': '$$.Task.Token', 'who.$': '$.who' } },
      TimeoutSeconds: timeoutSeconds,
      ResultPath: '$.approval',
      Catch: [{ ErrorEquals: ['stepcd.Rejected'], ResultPath: '$.rejected', Next: 'Rejected' }],
      End: true,
    },
    Rejected: { Type: 'Fail', Error: 'Rejected', Cause: 'someone said no' },
  },
});

describe('LocalSfn: waitForTaskToken tasks', () => {
  let h: SfnHarness;
  let requests: Array<{ token: string; again: string; who: string }>;
  beforeEach(async () => {
    h = await startSfnHarness();
    requests = [];
    h.sfn.registerFunction('request', async (event) => {
      requests.push(event as { token: string; again: string; who: string });
      return { posted: true };
    });
  });
  afterEach(async () => {
    await h.close();
  });

  async function start(timeoutSeconds = 30): Promise<string> {
    const arn = await h.define(`approval${timeoutSeconds}`, approval(timeoutSeconds));
    const out = await h.client.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{"who":"alice"}' }));
    return out.executionArn!;
  }

  it('resumes with the output of SendTaskSuccess, and hands the function one token per attempt', async () => {
    const executionArn = await start();
    const token = await openToken(h.sfn, executionArn);
    expect(requests).toEqual([{ token, again: token, who: 'alice' }]);
    expect(h.sfn.listOpenTokens()).toEqual([expect.objectContaining({ executionArn, stateName: 'Approve', token })]);

    await h.client.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await h.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"by":"bob"}' }));
    const done = await h.sfn.waitForExecution(executionArn);

    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ who: 'alice', approval: { by: 'bob' } });
    expect(h.sfn.listOpenTokens()).toEqual([]);
  });

  it('fails the task with the error and cause of SendTaskFailure, which Catch can route', async () => {
    const executionArn = await start();
    const token = await openToken(h.sfn, executionArn);
    await h.client.send(new SendTaskFailureCommand({ taskToken: token, error: 'stepcd.Rejected', cause: 'by carol' }));
    const done = await h.sfn.waitForExecution(executionArn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'Rejected', cause: 'someone said no' });
  });

  it('answers TaskTimedOut to a token used twice, and InvalidToken to a token it never issued', async () => {
    const executionArn = await start();
    const token = await openToken(h.sfn, executionArn);
    await h.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }));

    await expect(h.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(TaskTimedOut);
    await expect(h.client.send(new SendTaskFailureCommand({ taskToken: token, error: 'x' }))).rejects.toThrow('Provided task does not exist anymore');
    await expect(h.client.send(new SendTaskSuccessCommand({ taskToken: 'garbage', output: '{}' }))).rejects.toBeInstanceOf(InvalidToken);
  });

  it('rejects output that is not JSON with InvalidOutput and keeps the task waiting', async () => {
    const executionArn = await start();
    const token = await openToken(h.sfn, executionArn);
    await expect(h.client.send(new SendTaskSuccessCommand({ taskToken: token, output: 'not json' }))).rejects.toBeInstanceOf(InvalidOutput);
    expect(h.sfn.listOpenTokens().map((t) => t.token)).toEqual([token]);
  });

  it('times the task out with States.Timeout after TimeoutSeconds and closes its token', async () => {
    const executionArn = await start(1);
    const token = await openToken(h.sfn, executionArn);
    const done = await h.sfn.waitForExecution(executionArn, { timeoutMs: 10_000 });
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
    await expect(h.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(TaskTimedOut);
    expect(h.sfn.history(executionArn).map((e) => e.type)).toContain('TaskTimedOut');
  });

  it('fails the task when the request function itself throws', async () => {
    h.sfn.registerFunction('request', async () => {
      throw new Error('slack down');
    });
    const executionArn = await start();
    const done = await h.sfn.waitForExecution(executionArn);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('Error');
    expect(h.sfn.listOpenTokens()).toEqual([]);
  });

  it('refuses at registration a callback task without TimeoutSeconds', async () => {
    const definition = approval(5);
    delete (definition.States.Approve as { TimeoutSeconds?: number }).TimeoutSeconds;
    await expect(h.define('noTimeout', definition)).rejects.toThrow(/has no TimeoutSeconds/);
  });

  it('refuses at registration a resource it cannot run', async () => {
    const definition = { StartAt: 'Put', States: { Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', End: true } } };
    await expect(h.define('dynamo', definition)).rejects.toThrow(/unsupported resource in local SFN/);
  });
});
