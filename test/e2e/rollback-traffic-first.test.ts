import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../src/local/call-recorder.js';
import type { ExecutionData } from '../../src/orchestrator/index.js';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { waitFor } from '../support/waits.js';
import { stageToStart } from '../../src/orchestrator/route.js';

const TRAFFIC_WRITES = new Set(['ModifyRule', 'ModifyListener']);

/**
 * One-call rollback: from the moment a stage Lambda fails to the first traffic write, stepcd makes no
 * AWS call at all. The listener rules were snapshotted (DeploymentState.trafficRestore) by the
 * routing stage from the reads it made anyway, and rollback writes them back first. Every AWS
 * request made to the local cloud is counted (DynamoDB, Step Functions, EventBridge, ECS, ELBv2),
 * by any function; only the state machine's own Lambda invocations are left out, as transitions.
 */
describe('rollback writes traffic back before anything else', () => {
  let h: StackHarness;
  let listenerArn: string;

  beforeAll(async () => {
    h = await startStackHarness();
    listenerArn = h.stack.topology!.listenerArn;
    await h.deployBaseline(await exampleFiles(['canary']), 'add canary');
  });
  afterAll(async () => {
    await h?.stop();
  });

  const calls = () => h.stack.cloud.calls.calls;
  const isTrafficWrite = (c: RecordedCall) => c.service === 'elasticloadbalancing' && TRAFFIC_WRITES.has(c.operation);
  const byFunctions = (from: number, to = calls().length) =>
    calls()
      .slice(from, to)
      .filter((c) => c.principal !== 'state-machine');

  /**
   * Deploys a canary bump whose tasks start crashing when `crashAt` starts; the approval is granted.
   * Returns where the call log stood when the failing stage Lambda threw.
   */
  async function failAt(tag: string, crashAt: string, extra?: (event: { action?: string; data?: ExecutionData }) => void) {
    let failedAt: number | undefined;
    const undo = h.stack.interceptFunction('stage', async (event, context, next) => {
      const e = event as { action?: string; data?: ExecutionData };
      if (e.action === 'start' && e.data && stageToStart(e.data)?.name === crashAt) {
        h.stack.cloud.emulator.faults.crashTasks({ image: `canary:${tag}`, reason: 'Essential container in task exited' });
      }
      try {
        const out = await next(event, context);
        extra?.(e);
        return out;
      } catch (err) {
        if (e.action !== 'rollback-traffic') failedAt ??= calls().length;
        throw err;
      }
    });
    const start = calls().length;
    try {
      const { id, arn } = await h.deploy(await h.imageBump('canary', tag));
      const waiting = await waitFor(`${id} to wait for approval or end`, async () => {
        const r = await h.stack.core.history.getDeployment(id);
        return r && (r.status === 'WAITING_APPROVAL' || r.status === 'FAILURE') ? r : undefined;
      });
      if (waiting.status === 'WAITING_APPROVAL') {
        expect((await h.stack.approvals.approve({ deploymentId: id, user: 'U-LEAD', via: 'cli', now: new Date() })).kind).toBe('approved');
      }
      expect((await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 60_000 })).status).toBe('FAILED');
      const record = (await h.stack.core.history.getDeployment(id))!;
      expect(record.status).toBe('FAILURE');
      // A stage waiting on events is failed by ecs-events answering its token (SendTaskFailure), not
      // by a stage Lambda throwing: the failure is detected when that answer is sent.
      const answered = calls().findIndex((c, i) => i >= start && c.principal === 'ecs-events' && c.operation === 'SendTaskFailure');
      const detected = [failedAt, answered === -1 ? undefined : answered + 1].filter((n): n is number => n !== undefined);
      expect(detected.length).toBeGreaterThan(0);
      return { record, failedAt: Math.min(...detected) };
    } finally {
      undo();
      h.stack.cloud.emulator.faults.clear();
    }
  }

  function expectServingLastGood(lastGood: string) {
    const seen = h.stack.cloud.emulator.probe({ listenerArn, requests: 100, path: '/canary/' });
    expect(seen.outcomes['503']).toBe(0);
    expect(Object.keys(seen.byVersion)).toEqual([lastGood]);
  }

  it('success: with 20% on the canary, the first AWS call after the failure is the ModifyRule back to the last good weights', async () => {
    const lastGood = (await h.stack.core.history.getAppState('canary')).lastGood!.taskDefinitionArn;
    const { record, failedAt } = await failAt('30.0.0', 'ECS_PRIMARY_ROLLOUT');
    // The listener's default action and its rule, as they were before the 20% shift.
    const rules = record.state?.trafficRestore?.rules ?? [];
    expect(rules.length).toBeGreaterThanOrEqual(1);
    for (const rule of rules) expect(rule.weights).toEqual({ primary: 100, canary: 0 });

    // ecs-events goes on handling the crash loop's other stop events meanwhile; the state machine
    // does not wait for those, so only the rollback path's own calls count.
    const after = byFunctions(failedAt).filter((c) => c.principal !== 'ecs-events');
    const first = after.findIndex(isTrafficWrite);
    expect(first).toBeGreaterThanOrEqual(0);
    // Nothing between the failure and the traffic write: no read, no history write, no event.
    expect(after.slice(0, first).map((c) => `${c.principal} ${c.service}:${c.operation}`)).toEqual([]);
    expect(after[first]?.principal).toBe('stage');
    expectServingLastGood(lastGood);
  });

  it('success: a failure before any weight moved has no snapshot, and rollback writes no traffic at all', async () => {
    const lastGood = (await h.stack.core.history.getAppState('canary')).lastGood!.taskDefinitionArn;
    const { record, failedAt } = await failAt('31.0.0', 'ECS_CANARY_ROLLOUT');
    expect(record.stages[0]?.status).toBe('FAILURE');
    expect(record.state?.trafficRestore).toBeUndefined();
    expect(byFunctions(failedAt).filter(isTrafficWrite)).toEqual([]);
    expectServingLastGood(lastGood);
  });

  it('success: a traffic restore whose answer was lost is retried, writes the same rules again, and the rollback ends as usual', async () => {
    const lastGood = (await h.stack.core.history.getAppState('canary')).lastGood!.taskDefinitionArn;
    let lost = 0;
    const { record, failedAt } = await failAt('32.0.0', 'ECS_PRIMARY_ROLLOUT', (e) => {
      if (e.action === 'rollback-traffic' && lost++ === 0) throw new Error('the answer was lost after the rules were written');
    });
    expect(lost).toBe(2);
    const after = byFunctions(failedAt);
    const n = record.state?.trafficRestore?.rules.length ?? 0;
    expect(n).toBeGreaterThanOrEqual(1);
    // The first attempt's writes, then the retry's: the same rules, the same actions.
    const writes = after.filter(isTrafficWrite).map((c) => c.input);
    expect(writes.slice(n, 2 * n)).toEqual(writes.slice(0, n));
    expectServingLastGood(lastGood);
  });
});
