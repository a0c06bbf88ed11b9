import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { localClientConfig } from '../../src/aws/client-config.js';
import { SfnWorkflow, createSfnClient, executionArnFor } from '../../src/aws/sfn.js';
import { StepcdError } from '../../src/errors.js';
import { startAwsServer, type AwsRequest, type AwsServer } from '../../src/local/aws-server.js';

const SM = 'arn:aws:states:us-east-1:000000000000:stateMachine:stepcd-deployment';
const EXEC = 'arn:aws:states:us-east-1:000000000000:execution:stepcd-deployment:web-abc1234-0f0f0f';

/**
 * The error mappings the adapter owns, against Step Functions' wire as AWS documents it (awsJson1_0:
 * `AWSStepFunctions.<Operation>` targets, epoch-second dates, errors named by `__type` with a 400).
 * Each operation answers what `answers` holds for it; every request is recorded. The calls against
 * a running state machine are exercised through the local SFN in sfn-workflow-local.test.ts.
 */
type Answer = { status: number; body: unknown };
const answers = new Map<string, Answer>();
const seen: AwsRequest[] = [];
let server: AwsServer;
let workflow: SfnWorkflow;
const ok = (body: unknown): Answer => ({ status: 200, body });
const refused = (type: string, message: string): Answer => ({ status: 400, body: { __type: `com.amazonaws.swf.service.v2.model#${type}`, message } });
const inputOf = (operation: string) => JSON.parse(seen.find((r) => r.target === `AWSStepFunctions.${operation}`)?.body ?? 'null') as Record<string, unknown>;

beforeAll(async () => {
  server = await startAwsServer([
    async (req) => {
      seen.push(req);
      const answer = answers.get(req.target?.split('.')[1] ?? '') ?? refused('UnknownOperationException', 'not scripted');
      return { status: answer.status, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify(answer.body) };
    },
  ]);
  workflow = new SfnWorkflow(createSfn(), SM);
});

afterAll(() => server.close());

beforeEach(() => {
  answers.clear();
  seen.length = 0;
});

const createSfn = () => createSfnClient(localClientConfig(server.url, 1));

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

describe('SfnWorkflow', () => {
  it('starts a named execution of its state machine with the input as JSON, over awsJson1_0', async () => {
    answers.set('StartExecution', ok({ executionArn: EXEC, startDate: Date.parse('2026-01-01T00:00:00Z') / 1000 }));
    const started = await workflow.startExecution('web-abc1234-0f0f0f', { deploymentId: 'dep-1' });
    expect(started).toEqual({ executionArn: EXEC, startedAt: '2026-01-01T00:00:00.000Z' });
    expect(inputOf('StartExecution')).toEqual({ stateMachineArn: SM, name: 'web-abc1234-0f0f0f', input: '{"deploymentId":"dep-1"}' });
    expect(seen[0]?.contentType).toBe('application/x-amz-json-1.0');
    expect(seen[0]?.headers.authorization).toMatch(/Credential=local\/\d{8}\/us-east-1\/states\/aws4_request/);
  });

  it('returns the existing execution when the name was already used (a redelivered webhook)', async () => {
    answers.set('StartExecution', refused('ExecutionAlreadyExists', 'Execution Already Exists'));
    answers.set(
      'DescribeExecution',
      ok({
        executionArn: EXEC,
        name: 'web-abc1234-0f0f0f',
        status: 'SUCCEEDED',
        startDate: Date.parse('2026-01-01T00:00:00Z') / 1000,
        stopDate: Date.parse('2026-01-01T00:05:00.250Z') / 1000,
      }),
    );
    expect(await workflow.startExecution('web-abc1234-0f0f0f', {})).toEqual({ executionArn: EXEC, startedAt: '2026-01-01T00:00:00.000Z' });
    expect(inputOf('DescribeExecution')).toEqual({ executionArn: EXEC });
    expect(await workflow.describeExecution(EXEC)).toMatchObject({ status: 'SUCCEEDED', stopDate: '2026-01-01T00:05:00.250Z' });
  });

  it('describes a missing execution as undefined', async () => {
    answers.set('DescribeExecution', refused('ExecutionDoesNotExist', 'no such execution'));
    expect(await workflow.describeExecution(EXEC)).toBeUndefined();
  });

  it('reports a timed-out or already used task token as already closed, not as an error', async () => {
    answers.set('SendTaskSuccess', refused('TaskTimedOut', 'Task Timed Out'));
    answers.set('SendTaskFailure', refused('TaskTimedOut', 'Task Timed Out'));
    expect(await workflow.sendTaskSuccess('token', { approved: true })).toBe(false);
    expect(await workflow.sendTaskFailure('token', 'stepcd.Rejected', 'rejected by carol')).toBe(false);
  });

  it('returns true when the task token was accepted, sending the output as JSON', async () => {
    answers.set('SendTaskSuccess', ok({}));
    expect(await workflow.sendTaskSuccess('token', { approvedBy: ['bob'] })).toBe(true);
    expect(inputOf('SendTaskSuccess')).toEqual({ taskToken: 'token', output: '{"approvedBy":["bob"]}' });
  });

  it("throws on an invalid token, with AWS's error as cause and without the token", async () => {
    answers.set('SendTaskFailure', refused('InvalidToken', 'Invalid Token'));
    const error = await workflow.sendTaskFailure('secret-token', 'stepcd.Rejected', 'no').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepcdError);
    expect((error as StepcdError).name).toBe('stepcd.AwsError');
    expect(((error as Error).cause as Error).name).toBe('InvalidToken');
    expect((error as Error).message).toMatch(/^failing a task with stepcd\.Rejected: states:SendTaskFailure answered 400 InvalidToken/);
    expect((error as Error).message).not.toContain('secret-token');
  });

  it('stops an execution, naming it when Step Functions refuses', async () => {
    answers.set('StopExecution', refused('ExecutionDoesNotExist', 'no such execution'));
    await expect(workflow.stopExecution(EXEC, 'stepcd.Cancelled', 'by bob')).rejects.toThrow(
      `stopping execution ${EXEC}: states:StopExecution answered 400 ExecutionDoesNotExist`,
    );
    expect(inputOf('StopExecution')).toEqual({ executionArn: EXEC, error: 'stepcd.Cancelled', cause: 'by bob' });
  });
});
