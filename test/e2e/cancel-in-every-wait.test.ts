import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSummary } from '../reliability/support/summary.js';
import type { DeploymentRecord } from '../../src/domain/deployment.js';
import { cancelDeployment } from '../../src/orchestrator/index.js';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { waitFor } from '../support/waits.js';
import { putTarget5xxAlarm } from '../support/alarms.js';

const OPS = 'arn:aws:iam::000000000000:user/ops';
const ALARM = 'canary-cancel-5xx';
const CANARY_TG = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/canary-canary/72e8044a9a76310b';

/** The canary pipeline with its third stage replaced: the wait the case cancels in (hours long). */
function pipelineWith(third: string, rollout = '          scale: 30\n'): string {
  return `  pipeline:
    stages:
      - name: ECS_CANARY_ROLLOUT
        with:
${rollout}      - name: ECS_TRAFFIC_ROUTING
        with:
          canary: 20
${third}      - name: ECS_PRIMARY_ROLLOUT
      - name: ECS_TRAFFIC_ROUTING
        with:
          primary: 100
      - name: ECS_CANARY_CLEAN
`;
}

/**
 * Issue 12 (2): `stepcd cancel` takes effect within one check (or at once) in every kind of wait,
 * then rolls back, then ends CANCELLED; a canary keeps no traffic until spec.timeout. Each case holds
 * the deployment in one kind of wait for hours of emulated time and cancels it there, through the
 * real state machine on the local cloud. (The queue is the same: test/e2e/serialization.test.ts.)
 */
const summary = createSummary('issue 12: cancel in every kind of wait');

describe('cancel in every kind of wait', () => {
  let h: StackHarness;
  let cloudwatch: CloudWatchClient;
  let header: string;

  beforeAll(async () => {
    // The 2h WAIT's timeout moves 5 s a step (as a stability wait's does), not a minute: 14 real
    // seconds before it would end by itself, so a slow machine still cancels it mid-wait.
    h = await startStackHarness({ waitPolicy: { WAIT: { callbackOnClock: { stepMs: 5_000 } } } });
    cloudwatch = new CloudWatchClient(h.stack.cloud.clientConfigs.cloudwatch);
    await putTarget5xxAlarm(cloudwatch, ALARM);
    const files = await exampleFiles(['canary']);
    const original = files['apps/canary/app.pipecd.yaml']!;
    header = original.slice(0, original.indexOf('  pipeline:\n'));
    await h.deployBaseline(files, 'add canary');
  });
  afterAll(async () => {
    cloudwatch?.destroy();
    await h?.stop();
  });

  const record = async (id: string) => (await h.stack.core.history.getDeployment(id))!;
  const stageRunning = (index: number) => (r: DeploymentRecord) => r.stages[index]?.status === 'RUNNING';
  /** The state machine has entered `state` at least once since `since` history events. */
  const entered = (arn: string, state: string) =>
    h.stack.cloud.sfn.history(arn).some((e) => e.type.endsWith('StateEntered') && (e.details as { value?: { name?: string } }).value?.name === state);

  interface Case {
    name: string;
    pipeline: string;
    /** The deployment is in the wait this case is about. */
    waiting: (r: DeploymentRecord, arn: string) => boolean;
    arrange?: () => void;
    stage: { index: number; name: string };
    reason: string;
  }

  const CASES: Case[] = [
    {
      name: 'stability: ECS_CANARY_ROLLOUT whose targets never turn healthy (stableTimeout 2h)',
      pipeline: pipelineWith('      - name: WAIT\n        with:\n          duration: 1m\n', '          scale: 30\n          stableTimeout: 2h\n'),
      arrange: () => h.stack.cloud.emulator.faults.unhealthyTargets({ targetGroupArn: CANARY_TG }),
      waiting: (r, arn) => stageRunning(0)(r) && entered(arn, 'WaitStable'),
      stage: { index: 0, name: 'ECS_CANARY_ROLLOUT' },
      reason: `cancelled by ${OPS} while ECS_CANARY_ROLLOUT was stabilising`,
    },
    {
      name: 'WAIT: a two-hour WAIT with 20% of traffic on the canary',
      pipeline: pipelineWith('      - name: WAIT\n        with:\n          duration: 2h\n'),
      waiting: (r, arn) => stageRunning(2)(r) && entered(arn, 'WAIT'),
      stage: { index: 2, name: 'WAIT' },
      reason: `cancelled by ${OPS} during WAIT`,
    },
    {
      name: 'ANALYSIS: a two-hour analysis over a quiet alarm',
      pipeline: pipelineWith(`      - name: ANALYSIS\n        with:\n          duration: 2h\n          alarms: [${ALARM}]\n`),
      waiting: (r, arn) => stageRunning(2)(r) && entered(arn, 'WaitStable'),
      stage: { index: 2, name: 'ANALYSIS' },
      reason: `cancelled by ${OPS} while ANALYSIS was analysing`,
    },
    {
      name: 'WAIT_APPROVAL: an approval open for 6h',
      pipeline: pipelineWith(`      - name: WAIT_APPROVAL\n        with:\n          approvers: [U0LEAD]\n          timeout: 6h\n`),
      waiting: (r) => r.status === 'WAITING_APPROVAL',
      stage: { index: 2, name: 'WAIT_APPROVAL' },
      reason: `cancelled by ${OPS}`,
    },
  ];

  it.each(CASES)('$name → rollback, then CANCELLED, traffic back on the primary', async ({ pipeline, waiting, arrange, stage, reason }) => {
    await summary.track(`cancel in ${stage.name}`, 'rollback, then CANCELLED within one check', async () => {
      arrange?.();
      const tag = `9.${CASES.findIndex((c) => c.pipeline === pipeline)}.0`;
      const { id, arn } = await h.deploy({ ...(await h.imageBump('canary', tag)), 'apps/canary/app.pipecd.yaml': header + pipeline });
      await waitFor(`deployment ${id} to wait in ${stage.name}`, async () => {
        const r = await h.stack.core.history.getDeployment(id);
        return r && waiting(r, arn) ? true : undefined;
      });
      const waitedFrom = Date.parse((await record(id)).stages[stage.index]!.startedAt!);

      const result = await cancelDeployment(id, { history: h.stack.core.history, approvals: h.stack.approvals }, { by: OPS });
      expect(result.kind).toBe('requested');
      expect((await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 30_000 })).status).toBe('FAILED');
      h.stack.cloud.emulator.faults.clear();

      const ended = await record(id);
      expect(ended).toMatchObject({ status: 'CANCELLED', cancelRequestedBy: OPS });
      expect(ended.reason).toContain(reason);
      // The reason says it rolled back once, naming what serves now.
      expect(ended.reason).toContain('; rolled back: 100% of traffic on arn:aws:ecs:');
      expect(ended.reason).not.toContain('rolled back: rolled back:');
      expect(ended.stages[stage.index]).toMatchObject({ name: stage.name, status: 'CANCELLED' });
      // Within one check: nowhere near the hours the wait was set for.
      expect(Date.parse(ended.endedAt!) - waitedFrom).toBeLessThan(30 * 60_000);
      const events = h.eventsOf(id);
      expect(events.filter((e) => e === 'DEPLOYMENT_ROLLING_BACK')).toHaveLength(1);
      expect(events.at(-1)).toBe('DEPLOYMENT_CANCELLED');

      const appState = await h.stack.core.history.getAppState('canary');
      expect(appState.lockHolder).toBeUndefined();
      const seen = h.stack.cloud.emulator.probe({ listenerArn: h.stack.topology!.listenerArn, requests: 100, path: '/canary/' });
      expect(seen.outcomes['503']).toBe(0);
      expect(Object.keys(seen.byVersion)).toEqual([appState.lastGood!.taskDefinitionArn]);
    });
  });
});
