import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancelDeployment } from '../../src/orchestrator/index.js';
import { EventDetailSchema } from '../../src/notify/event-schema.js';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { waitFor } from '../support/waits.js';

/**
 * Issue 12, events: every end status has exactly one event, DEPLOYMENT_ROLLING_BACK comes once per
 * rollback, and each event names the execution, service and task definition in `resources`. One
 * row per end path, each driven through the real webhook and state machine on the local cloud; the
 * sequence is of DEPLOYMENT_* events (STAGE_* ones interleave and are checked elsewhere).
 */
describe('the event sequence of every end path', () => {
  let h: StackHarness;

  beforeAll(async () => {
    h = await startStackHarness();
    await h.deployBaseline(await exampleFiles(['canary']), 'add canary');
  });
  afterAll(async () => {
    await h?.stop();
  });

  const deploymentEvents = (id: string) => h.eventsOf(id).filter((t) => t.startsWith('DEPLOYMENT_'));
  const ended = (id: string) =>
    waitFor(
      `${id} to end`,
      async () => {
        const r = await h.stack.core.history.getDeployment(id);
        return r && ['SUCCESS', 'FAILURE', 'CANCELLED', 'SUPERSEDED', 'TRIGGER_FAILED'].includes(r.status) ? r : undefined;
      },
      { timeoutMs: 30_000 },
    );
  const settled = () =>
    waitFor(
      'every execution to end',
      async () => (h.stack.cloud.sfn.listExecutions({ stateMachineArn: h.stack.stateMachineArn }).every((e) => e.status !== 'RUNNING') ? true : undefined),
      { timeoutMs: 30_000 },
    );
  let n = 0;
  const bump = () => h.imageBump('canary', `7.${++n}.0`);
  const approveAs = (id: string) => h.stack.approvals.approve({ deploymentId: id, user: 'U0LEAD', via: 'slack', now: new Date() });

  const PATHS: { name: string; status: string; sequence: string[]; run: () => Promise<string> }[] = [
    {
      name: 'approved pipeline',
      status: 'SUCCESS',
      sequence: ['DEPLOYMENT_TRIGGERED', 'DEPLOYMENT_STARTED', 'DEPLOYMENT_WAIT_APPROVAL', 'DEPLOYMENT_APPROVED', 'DEPLOYMENT_SUCCEEDED'],
      run: async () => {
        const { id } = await h.deploy(await bump());
        await h.waitForStatus(id, 'WAITING_APPROVAL');
        await approveAs(id);
        return id;
      },
    },
    {
      name: 'rejected, rolled back',
      status: 'FAILURE',
      sequence: ['DEPLOYMENT_TRIGGERED', 'DEPLOYMENT_STARTED', 'DEPLOYMENT_WAIT_APPROVAL', 'DEPLOYMENT_ROLLING_BACK', 'DEPLOYMENT_FAILED'],
      run: async () => {
        const { id } = await h.deploy(await bump());
        await h.waitForStatus(id, 'WAITING_APPROVAL');
        await h.stack.approvals.reject({ deploymentId: id, user: 'U0LEAD', via: 'slack', now: new Date() });
        return id;
      },
    },
    {
      name: 'canary crashes, rolled back',
      status: 'FAILURE',
      sequence: ['DEPLOYMENT_TRIGGERED', 'DEPLOYMENT_STARTED', 'DEPLOYMENT_ROLLING_BACK', 'DEPLOYMENT_FAILED'],
      run: async () => {
        const files = await bump();
        h.stack.cloud.emulator.faults.crashTasks({ image: `canary:7.${n}.0`, reason: 'Essential container in task exited' });
        const { id } = await h.deploy(files);
        await ended(id);
        h.stack.cloud.emulator.faults.clear();
        return id;
      },
    },
    {
      name: 'cancelled while waiting for approval',
      status: 'CANCELLED',
      sequence: ['DEPLOYMENT_TRIGGERED', 'DEPLOYMENT_STARTED', 'DEPLOYMENT_WAIT_APPROVAL', 'DEPLOYMENT_ROLLING_BACK', 'DEPLOYMENT_CANCELLED'],
      run: async () => {
        const { id } = await h.deploy(await bump());
        await h.waitForStatus(id, 'WAITING_APPROVAL');
        await cancelDeployment(id, { history: h.stack.core.history, approvals: h.stack.approvals }, { by: 'U0LEAD' });
        return id;
      },
    },
    {
      name: 'stopped from the console (StopExecution)',
      status: 'CANCELLED',
      sequence: ['DEPLOYMENT_TRIGGERED', 'DEPLOYMENT_STARTED', 'DEPLOYMENT_WAIT_APPROVAL', 'DEPLOYMENT_ROLLING_BACK', 'DEPLOYMENT_CANCELLED'],
      run: async () => {
        const { id, arn } = await h.deploy(await bump());
        await h.waitForStatus(id, 'WAITING_APPROVAL');
        h.stack.cloud.sfn.stopExecution(arn, { cause: 'console' });
        return id;
      },
    },
    {
      name: 'queued, then superseded by a newer commit',
      status: 'SUPERSEDED',
      sequence: ['DEPLOYMENT_TRIGGERED', 'DEPLOYMENT_CANCELLED'],
      run: async () => {
        const a = await h.deploy(await bump());
        await h.waitForStatus(a.id, 'WAITING_APPROVAL');
        const b = await h.deploy(await bump());
        const c = await h.deploy(await bump());
        await ended(b.id);
        await approveAs(a.id);
        await h.waitForStatus(c.id, 'WAITING_APPROVAL');
        await approveAs(c.id);
        await ended(c.id);
        return b.id;
      },
    },
    {
      name: 'invalid manifest',
      status: 'TRIGGER_FAILED',
      sequence: ['DEPLOYMENT_TRIGGER_FAILED'],
      run: async () => {
        const res = await h.push({ 'apps/canary/taskdef.yaml': 'family: [' }, 'broken taskdef');
        return res.body.apps![0]!.deploymentId;
      },
    },
  ];

  it.each(PATHS)('$name → $status: $sequence', async ({ status, sequence, run }) => {
    const id = await run();
    const record = await ended(id);
    await settled();
    expect(record.status).toBe(status);
    expect(deploymentEvents(id)).toEqual(sequence);

    const events = h.stack.cloud.events.events.filter((e) => e.source === 'stepcd' && (e.detail as { deploymentId?: string }).deploymentId === id);
    for (const e of events) expect(EventDetailSchema.safeParse(e.detail).success, `${e.detailType} matches the schema`).toBe(true);
    const last = events.at(-1)!;
    if (status !== 'TRIGGER_FAILED') {
      expect(last.resources).toEqual(
        expect.arrayContaining([record.executionArn, expect.stringMatching(/^arn:aws:ecs:us-east-1:000000000000:service\/demo\/canary$/)]),
      );
    }
    if (record.state?.taskDefinitionArn) expect(last.resources).toContain(record.state.taskDefinitionArn);
    // Restore the app file for the next row after the broken manifest.
    if (status === 'TRIGGER_FAILED')
      await h.push(await exampleFiles(['canary']).then((f) => ({ 'apps/canary/taskdef.yaml': f['apps/canary/taskdef.yaml']! })), 'fix taskdef');
  });
});
