import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { CreateStateMachineCommand, ListStateMachinesCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { localClientConfig } from '../../src/aws/client-config.js';
import { createSfnAdmin } from '../../src/aws/sfn-admin.js';
import { startAwsServer, type AwsServer } from '../../src/local/aws-server.js';
import { ManualClock } from '../../src/local/clock.js';
import { LocalSfn } from '../../src/local/sfn/index.js';
import { ErrorName, StepcdError } from '../../src/errors.js';

const meta = { $metadata: {} };
const arnOf = (name: string) => `arn:aws:states:us-east-1:000000000000:stateMachine:${name}`;

/** The local SFN has no ListStateMachines, so lookup paging and errors run against a mocked client. */
describe('WorkflowAdminPort.findStateMachineArn', () => {
  // mockClient patches every SFNClient; restored so the local-SFN tests below talk to a real endpoint.
  let sfn: ReturnType<typeof mockClient>;
  beforeAll(() => {
    sfn = mockClient(SFNClient);
  });
  beforeEach(() => sfn.reset());
  afterAll(() => sfn.restore());
  const admin = () => createSfnAdmin(new SFNClient(localClientConfig('http://127.0.0.1:9')));
  const machine = (name: string) => ({ name, stateMachineArn: arnOf(name), type: 'STANDARD' as const, creationDate: new Date(0) });

  it('finds the machine on a later page, following nextToken', async () => {
    sfn
      .on(ListStateMachinesCommand)
      .callsFake((input: { nextToken?: string }) =>
        input.nextToken === 'p2'
          ? { ...meta, stateMachines: [machine('stepcd-prod-deployment')] }
          : { ...meta, stateMachines: [machine('other')], nextToken: 'p2' },
      );
    expect(await admin().findStateMachineArn('stepcd-prod-deployment')).toBe(arnOf('stepcd-prod-deployment'));
    expect(sfn.commandCalls(ListStateMachinesCommand)).toHaveLength(2);
  });

  it('answers undefined when no page has the name (a prefix is not a match)', async () => {
    sfn.on(ListStateMachinesCommand).resolves({ ...meta, stateMachines: [machine('stepcd-prod-deployment-old')] });
    expect(await admin().findStateMachineArn('stepcd-prod-deployment')).toBeUndefined();
  });

  it('throws a typed error naming what it was doing when SFN refuses', async () => {
    sfn.on(ListStateMachinesCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }));
    const err = await admin()
      .findStateMachineArn('stepcd-prod-deployment')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StepcdError);
    expect((err as StepcdError).name).toBe(ErrorName.AwsError);
    expect((err as StepcdError).message).toContain('listing state machines to find stepcd-prod-deployment: AccessDeniedException');
  });
});

describe('WorkflowAdminPort.executionHistory against the local Step Functions', () => {
  let local: LocalSfn;
  let server: AwsServer;
  let client: SFNClient;
  let stateMachineArn: string;

  beforeAll(async () => {
    local = new LocalSfn({ clock: new ManualClock(), waitMs: 1, retryIntervalMs: 1 });
    local.registerFunction('work', async (event) => {
      if ((event as { fail?: boolean }).fail) throw Object.assign(new Error('the canary crashed'), { name: 'stepcd.StabilizeFailed' });
      return { ok: true };
    });
    server = await startAwsServer([local.handler]);
    client = new SFNClient({ ...localClientConfig(server.url, 1), disableHostPrefix: true });
    // Paging is covered by the mocked lookup above; this checks the event shapes the CLI prints.
    const definition = {
      StartAt: 'Prepare',
      States: {
        Prepare: { Type: 'Pass', Next: 'Work' },
        Work: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'work', 'Payload.$': '$' }, End: true },
      },
    };
    const created = await client.send(
      new CreateStateMachineCommand({ name: 'admin-test', definition: JSON.stringify(definition), roleArn: 'arn:aws:iam::000000000000:role/sfn' }),
    );
    stateMachineArn = created.stateMachineArn!;
  });

  afterAll(async () => {
    await local.shutdown();
    client.destroy();
    await server.close();
  });

  const run = async (name: string, input: unknown) => {
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input) }));
    await local.waitForExecution(executionArn!);
    return executionArn!;
  };

  it('returns every event oldest first with the state each one concerns', async () => {
    const admin = createSfnAdmin(localClientConfig(server.url, 1));
    const events = await admin.executionHistory(await run('ok-1', { fail: false }));
    admin.close();

    expect(events[0]?.type).toBe('ExecutionStarted');
    expect(events.at(-1)?.type).toBe('ExecutionSucceeded');
    expect(events.filter((e) => e.type.endsWith('StateEntered')).map((e) => e.state)).toEqual(['Prepare', 'Work']);
    expect(events.every((e) => e.at !== undefined && !Number.isNaN(Date.parse(e.at)))).toBe(true);
  });

  it('carries the error and cause of a failed execution', async () => {
    const admin = createSfnAdmin(localClientConfig(server.url, 1));
    const events = await admin.executionHistory(await run('fail-1', { fail: true }));
    admin.close();

    const failed = events.find((e) => e.type === 'ExecutionFailed');
    expect(failed).toMatchObject({ error: 'stepcd.StabilizeFailed' });
    expect(failed?.cause).toContain('the canary crashed');
  });

  it('throws a typed error for an execution SFN does not know', async () => {
    const admin = createSfnAdmin(localClientConfig(server.url, 1));
    const err = await admin.executionHistory(`${stateMachineArn.replace(':stateMachine:', ':execution:')}:nope`).catch((e: unknown) => e);
    admin.close();
    expect(err).toBeInstanceOf(StepcdError);
    expect((err as Error).message).toContain('reading the history of execution');
  });
});
