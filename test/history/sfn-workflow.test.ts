import { beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidToken,
  SFNClient,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { SfnWorkflow, createSfnClient, executionArnFor } from '../../src/aws/sfn.js';
import { localClientConfig } from '../../src/aws/client-config.js';
import { StepcdError } from '../../src/errors.js';

const SM = 'arn:aws:states:us-east-1:000000000000:stateMachine:stepcd-deployment';
const EXEC = 'arn:aws:states:us-east-1:000000000000:execution:stepcd-deployment:web-abc1234-0f0f0f';
const meta = { $metadata: {} };

/**
 * Only the error mappings the adapter owns are tested here with a mocked client; the calls against
 * a real SFN API are exercised through the local SFN facade in the integration tests.
 */
const sfn = mockClient(SFNClient);
let workflow: SfnWorkflow;

beforeEach(() => {
  sfn.reset();
  workflow = new SfnWorkflow(new SFNClient(localClientConfig('http://127.0.0.1:9')), SM);
});

describe('executionArnFor', () => {
  const cases: [string, string, string][] = [
    ['success: standard partition', SM, EXEC],
    [
      'success: China partition',
      'arn:aws-cn:states:cn-north-1:123456789012:stateMachine:sm',
      'arn:aws-cn:states:cn-north-1:123456789012:execution:sm:web-abc1234-0f0f0f',
    ],
  ];
  it.each(cases)('%s', (_name, smArn, expected) => {
    expect(executionArnFor(smArn, 'web-abc1234-0f0f0f')).toBe(expected);
  });

  it('fail: refuses an ARN that is not a state machine', () => {
    expect(() => executionArnFor(EXEC, 'x')).toThrow(StepcdError);
  });
});

describe('createSfnClient', () => {
  it('turns off host prefixes so local endpoints resolve', () => {
    const client = createSfnClient(localClientConfig('http://127.0.0.1:9'));
    expect(client.config.disableHostPrefix).toBe(true);
    client.destroy();
  });
});

describe('SfnWorkflow', () => {
  it('starts a named execution of its state machine with the input as JSON', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: EXEC, startDate: new Date('2026-01-01T00:00:00Z') });
    const started = await workflow.startExecution('web-abc1234-0f0f0f', { deploymentId: 'dep-1' });
    expect(started).toEqual({ executionArn: EXEC, startedAt: '2026-01-01T00:00:00.000Z' });
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
      stateMachineArn: SM,
      name: 'web-abc1234-0f0f0f',
      input: '{"deploymentId":"dep-1"}',
    });
  });

  it('returns the existing execution when the name was already used (a redelivered webhook)', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'Execution Already Exists', ...meta }));
    sfn.on(DescribeExecutionCommand, { executionArn: EXEC }).resolves({
      executionArn: EXEC,
      name: 'web-abc1234-0f0f0f',
      status: 'SUCCEEDED',
      startDate: new Date('2026-01-01T00:00:00Z'),
      stopDate: new Date('2026-01-01T00:05:00Z'),
    });
    expect(await workflow.startExecution('web-abc1234-0f0f0f', {})).toEqual({
      executionArn: EXEC,
      startedAt: '2026-01-01T00:00:00.000Z',
    });
  });

  it('describes a missing execution as undefined', async () => {
    sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'no such execution', ...meta }));
    expect(await workflow.describeExecution(EXEC)).toBeUndefined();
  });

  it('reports a timed-out or already used task token as already closed, not as an error', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'Task Timed Out', ...meta }));
    sfn.on(SendTaskFailureCommand).rejects(new TaskTimedOut({ message: 'Task Timed Out', ...meta }));
    expect(await workflow.sendTaskSuccess('token', { approved: true })).toBe(false);
    expect(await workflow.sendTaskFailure('token', 'stepcd.Rejected', 'rejected by carol')).toBe(false);
  });

  it('returns true when the task token was accepted, sending the output as JSON', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    expect(await workflow.sendTaskSuccess('token', { approvedBy: ['bob'] })).toBe(true);
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input.output).toBe('{"approvedBy":["bob"]}');
  });

  it('throws on an invalid token, wrapped with the SDK error as cause and without the token', async () => {
    sfn.on(SendTaskFailureCommand).rejects(new InvalidToken({ message: 'Invalid Token', ...meta }));
    const error = await workflow.sendTaskFailure('secret-token', 'stepcd.Rejected', 'no').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepcdError);
    expect((error as StepcdError).name).toBe('stepcd.AwsError');
    expect(((error as Error).cause as Error).name).toBe('InvalidToken');
    expect((error as Error).message).not.toContain('secret-token');
  });
});
