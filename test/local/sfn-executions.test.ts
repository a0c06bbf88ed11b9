import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidExecutionInput,
  InvalidName,
  ListExecutionsCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { openToken, startSfnHarness, type SfnHarness } from '../support/stacks/sfn.js';

/** Waits on a callback; a Catch on States.ALL leads to a state that records it ran. */
const gated = {
  StartAt: 'Gate',
  States: {
    Gate: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'hold', Payload: { 'token.$': '$$.Task.Token' } },
      TimeoutSeconds: 60,
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'CleanUp' }],
      End: true,
    },
    CleanUp: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'cleanup' }, End: true },
  },
};

describe('LocalSfn: executions', () => {
  let h: SfnHarness;
  let arn: string;
  let cleanups: number;
  beforeEach(async () => {
    h = await startSfnHarness();
    cleanups = 0;
    h.sfn.registerFunction('hold', async () => ({}));
    h.sfn.registerFunction('cleanup', async () => {
      cleanups += 1;
    });
    arn = await h.define('gated', gated);
  });
  afterEach(async () => {
    await h.close();
  });

  const start = (name: string, input = '{"a":1}') => h.client.send(new StartExecutionCommand({ stateMachineArn: arn, name, input }));

  it('returns the same execution for the same name and input while it runs', async () => {
    const first = await start('app-abc1234-x');
    const again = await start('app-abc1234-x');
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate?.getTime()).toBe(first.startDate?.getTime());
    await expect(start('app-abc1234-x', '{"a":2}')).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('refuses a name that already ended, whatever the input', async () => {
    const { executionArn } = await start('ended');
    await h.client.send(new SendTaskSuccessCommand({ taskToken: await openToken(h.sfn, executionArn!), output: '{}' }));
    expect((await h.sfn.waitForExecution(executionArn!)).status).toBe('SUCCEEDED');
    await expect(start('ended')).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('rejects invalid names, inputs that are not JSON and inputs over 256 KB', async () => {
    await expect(start('has space')).rejects.toBeInstanceOf(InvalidName);
    await expect(start('x'.repeat(81))).rejects.toBeInstanceOf(InvalidName);
    await expect(start('bad-json', '{')).rejects.toBeInstanceOf(InvalidExecutionInput);
    await expect(start('too-big', JSON.stringify({ s: 'x'.repeat(256 * 1024) }))).rejects.toBeInstanceOf(InvalidExecutionInput);
    await expect(h.client.send(new DescribeExecutionCommand({ executionArn: `${arn.replace(':stateMachine:', ':execution:')}:nope` }))).rejects.toBeInstanceOf(
      ExecutionDoesNotExist,
    );
  });

  it('stops as ABORTED without running Catch, closes its token and announces the change on the bus', async () => {
    const { executionArn } = await start('to-stop');
    const token = await openToken(h.sfn, executionArn!);

    await h.client.send(new StopExecutionCommand({ executionArn, error: 'stepcd.Cancelled', cause: 'user asked' }));
    const described = await h.client.send(new DescribeExecutionCommand({ executionArn }));
    await h.sfn.waitForExecution(executionArn!);
    await h.bus.drain();

    expect(described).toMatchObject({ status: 'ABORTED', error: 'stepcd.Cancelled', cause: 'user asked' });
    expect(described.stopDate).toBeInstanceOf(Date);
    expect(cleanups).toBe(0);
    expect(h.sfn.invocations()).toEqual({ hold: 1 });
    await expect(h.client.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toBeInstanceOf(TaskTimedOut);
    const history = await h.client.send(new GetExecutionHistoryCommand({ executionArn }));
    expect(history.events!.at(-1)).toMatchObject({ type: 'ExecutionAborted', executionAbortedEventDetails: { error: 'stepcd.Cancelled' } });
    const [event] = h.bus.find({ source: ['aws.states'], detailType: ['Step Functions Execution Status Change'] });
    expect(event).toMatchObject({
      eventBusName: 'default',
      detail: { executionArn, stateMachineArn: arn, name: 'to-stop', status: 'ABORTED', input: '{"a":1}', error: 'stepcd.Cancelled' },
    });
    expect(typeof (event!.detail as { startDate: unknown }).startDate).toBe('number');
  });

  it('leaves a closed execution as it was when stopped again', async () => {
    const { executionArn } = await start('twice');
    await h.client.send(new StopExecutionCommand({ executionArn, error: 'first' }));
    await h.client.send(new StopExecutionCommand({ executionArn, error: 'second' }));
    expect((await h.client.send(new DescribeExecutionCommand({ executionArn }))).error).toBe('first');
    expect(h.bus.find({ source: ['aws.states'] })).toHaveLength(1);
  });

  it('lists executions of a state machine newest first, filtered by status', async () => {
    const a = await start('a');
    h.clock.advance(1000);
    const b = await start('b');
    await h.client.send(new StopExecutionCommand({ executionArn: a.executionArn }));
    const all = await h.client.send(new ListExecutionsCommand({ stateMachineArn: arn }));
    const running = await h.client.send(new ListExecutionsCommand({ stateMachineArn: arn, statusFilter: 'RUNNING' }));
    expect(all.executions!.map((e) => e.name)).toEqual(['b', 'a']);
    expect(running.executions!.map((e) => e.executionArn)).toEqual([b.executionArn]);
  });
});

describe('LocalSfn: Wait states', () => {
  it('advances the clock by the nominal Seconds and SecondsPath of each Wait state', async () => {
    const h = await startSfnHarness({ waitMs: 5 });
    try {
      const seen: number[] = [];
      h.sfn.registerFunction('now', async () => {
        seen.push(h.clock.now());
        return null;
      });
      const arn = await h.define('waits', {
        StartAt: 'Before',
        States: {
          Before: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'now' }, ResultPath: null, Next: 'Hold' },
          Hold: { Type: 'Wait', SecondsPath: '$.stages[0].with.seconds', Next: 'Fixed' },
          Fixed: { Type: 'Wait', Seconds: 60, Next: 'After' },
          After: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'now' }, ResultPath: null, End: true },
        },
      });
      const input = { stages: [{ with: { seconds: 3600 } }] };
      const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn: arn, input: JSON.stringify(input) }));
      const done = await h.sfn.waitForExecution(executionArn!);

      expect(done.status).toBe('SUCCEEDED');
      expect(JSON.parse(done.output!)).toEqual(input);
      expect(seen[1]! - seen[0]!).toBe(3_660_000);
      const types = h.sfn.history(executionArn!).map((e) => e.type);
      expect(types.filter((t) => t === 'WaitStateEntered')).toHaveLength(2);
      expect(h.sfn.transitions(executionArn!)).toBe(4);
    } finally {
      await h.close();
    }
  });

  it('fails with States.Runtime when SecondsPath does not point at a non-negative integer', async () => {
    const h = await startSfnHarness();
    try {
      const arn = await h.define('badWait', { StartAt: 'Hold', States: { Hold: { Type: 'Wait', SecondsPath: '$.missing', End: true } } });
      const { executionArn } = await h.client.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{}' }));
      expect(await h.sfn.waitForExecution(executionArn!)).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    } finally {
      await h.close();
    }
  });
});
