import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { localClientConfig } from '../../src/aws/client-config.js';
import { createSfnClient, SfnWorkflow } from '../../src/aws/sfn.js';
import { startAwsServer, type AwsServer } from '../../src/local/aws-server.js';
import { ManualClock } from '../../src/local/clock.js';
import { LocalSfn } from '../../src/local/sfn/index.js';
import { StepcdError } from '../../src/errors.js';
import { waitFor } from '../support/waits.js';

/** One callback task, like WAIT_APPROVAL: the execution waits until its token is settled. */
const APPROVAL_MACHINE = {
  StartAt: 'Approve',
  States: {
    Approve: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'request-approval', Payload: { 'token.$': '$$.Task.Token', 'input.$': '$' } },
      TimeoutSeconds: 3600,
      End: true,
    },
  },
};

let sfn: LocalSfn;
let server: AwsServer;
let client: SFNClient;
let workflow: SfnWorkflow;
/** Tokens handed to the callback Lambda, by the deploymentId in the execution input. */
const tokens = new Map<string, string>();

beforeAll(async () => {
  sfn = new LocalSfn({ clock: new ManualClock(), waitMs: 1, retryIntervalMs: 1 });
  sfn.registerFunction('request-approval', async (event) => {
    const { token, input } = event as { token: string; input: { deploymentId: string } };
    tokens.set(input.deploymentId, token);
    return {};
  });
  server = await startAwsServer([sfn.handler]);
  client = new SFNClient({ ...localClientConfig(server.url, 1), disableHostPrefix: true });
  const created = await client.send(
    new CreateStateMachineCommand({
      name: 'stepcd-deployment',
      definition: JSON.stringify(APPROVAL_MACHINE),
      roleArn: 'arn:aws:iam::000000000000:role/sfn',
    }),
  );
  workflow = new SfnWorkflow(createSfnClient(localClientConfig(server.url, 1)), created.stateMachineArn!);
});

afterAll(async () => {
  await sfn.shutdown();
  client.destroy();
  await server.close();
});

/** The callback Lambda runs asynchronously; yield to the event loop until it has recorded its token. */
function tokenOf(deploymentId: string): Promise<string> {
  return waitFor(`the task token of ${deploymentId}`, () => tokens.get(deploymentId) || undefined, { timeoutMs: 5_000, everyMs: 0 });
}

describe('SfnWorkflow against the local Step Functions', () => {
  it('starts an execution and returns the same one when the webhook is redelivered', async () => {
    const first = await workflow.startExecution('web-aaa1111-01', { deploymentId: 'd1' });
    expect(first.executionArn).toMatch(/:execution:stepcd-deployment:web-aaa1111-01$/);
    // Same name, same input while running: idempotent. Same name, new input: ExecutionAlreadyExists.
    expect(await workflow.startExecution('web-aaa1111-01', { deploymentId: 'd1' })).toEqual(first);
    expect(await workflow.startExecution('web-aaa1111-01', { deploymentId: 'd1', rerendered: true })).toEqual(first);
    expect((await workflow.describeExecution(first.executionArn))?.status).toBe('RUNNING');
  });

  it('resumes a waiting task once; a second answer to the same token is "already closed"', async () => {
    const { executionArn } = await workflow.startExecution('web-bbb2222-02', { deploymentId: 'd2' });
    const token = await tokenOf('d2');

    expect(await workflow.sendTaskSuccess(token, { approvedBy: ['bob'] })).toBe(true);
    expect(await workflow.sendTaskFailure(token, 'stepcd.Rejected', 'too late')).toBe(false);

    const done = await sfn.waitForExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(await workflow.describeExecution(executionArn)).toMatchObject({ executionArn, name: 'web-bbb2222-02', status: 'SUCCEEDED' });
  });

  it('fails the execution with the error a rejection sends, and answers a later start by its name with it', async () => {
    const { executionArn } = await workflow.startExecution('web-ccc3333-03', { deploymentId: 'd3' });
    expect(await workflow.sendTaskFailure(await tokenOf('d3'), 'stepcd.Rejected', 'rejected by carol')).toBe(true);
    await sfn.waitForExecution(executionArn);
    expect(await workflow.describeExecution(executionArn)).toMatchObject({
      status: 'FAILED',
      error: 'stepcd.Rejected',
      cause: 'rejected by carol',
    });
    // A redelivery that comes after the execution ended (before Begin recorded it, say) gets it back.
    expect((await workflow.startExecution('web-ccc3333-03', { deploymentId: 'd3' })).executionArn).toBe(executionArn);
    const machine = executionArn.replace(/:execution:([^:]+):.*$/, ':stateMachine:$1');
    expect(sfn.listExecutions({ stateMachineArn: machine }).filter((e) => e.name === 'web-ccc3333-03')).toHaveLength(1);
  });

  it('stops a running execution, after which its token is closed', async () => {
    const { executionArn } = await workflow.startExecution('web-ddd4444-04', { deploymentId: 'd4' });
    const token = await tokenOf('d4');
    await workflow.stopExecution(executionArn, 'stepcd.Cancelled', 'cancelled by alice');
    const stopped = await workflow.describeExecution(executionArn);
    expect(stopped).toMatchObject({ status: 'ABORTED' });
    expect(stopped?.stopDate).toBeDefined();
    expect(await workflow.sendTaskSuccess(token, {})).toBe(false);
  });

  it('throws on a token Step Functions never issued and describes an unknown execution as undefined', async () => {
    const error = await workflow.sendTaskSuccess('forged', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepcdError);
    expect(((error as Error).cause as Error).name).toBe('InvalidToken');
    const unknown = (await workflow.startExecution('web-eee5555-05', { deploymentId: 'd5' })).executionArn.replace('web-eee5555-05', 'never-started');
    expect(await workflow.describeExecution(unknown)).toBeUndefined();
  });
});
