import './support/quiet.js';
import { describe, expect, it } from 'vitest';
import type { EmulatedService } from '../../src/local/ecs-elbv2/types.js';
import { exampleFiles } from '../support/examples.js';
import { startFaultGroup, untilStatus, type FaultCase, type FaultGroup } from './support/fault-runner.js';
import { createSummary } from './support/summary.js';
import { stageToStart } from '../../src/orchestrator/route.js';
import type { ExecutionData } from '../../src/orchestrator/execution-data.js';

/**
 * Faults injected into every stage of the canary pipeline (examples/apps/canary: 0 ECS_CANARY_ROLLOUT,
 * 1 ECS_TRAFFIC_ROUTING 20%, 2 WAIT_APPROVAL, 3 ECS_PRIMARY_ROLLOUT, 4 ECS_TRAFFIC_ROUTING 100%,
 * 5 ECS_CANARY_CLEAN) where they apply, each followed by the invariant check of support/invariants.ts.
 * Groups run side by side, each on its own local stack; cases within a group run one after another.
 */
const summary = createSummary('faults');

/** The call each stage makes that a fault of that service hits (from the calls the stages make). */
const STAGE_CALLS: { index: number; stage: string; service: EmulatedService; operation: string }[] = [
  { index: 0, stage: 'ECS_CANARY_ROLLOUT', service: 'ecs', operation: 'CreateTaskSet' },
  { index: 3, stage: 'ECS_PRIMARY_ROLLOUT', service: 'ecs', operation: 'UpdateServicePrimaryTaskSet' },
  { index: 5, stage: 'ECS_CANARY_CLEAN', service: 'ecs', operation: 'DeleteTaskSet' },
  { index: 1, stage: 'ECS_TRAFFIC_ROUTING(20)', service: 'elbv2', operation: 'ModifyRule' },
  { index: 4, stage: 'ECS_TRAFFIC_ROUTING(100)', service: 'elbv2', operation: 'ModifyRule' },
  { index: 5, stage: 'ECS_CANARY_CLEAN', service: 'elbv2', operation: 'DescribeRules' },
];

/**
 * Transient: 4 failures, more than the SDK's 3 attempts, so one Lambda invocation fails with
 * stepcd.Throttled/Transient and the ASL Retry carries it. Persistent: fails until the deployment
 * starts rolling back (the outage outlasts the stage's whole retry budget, then ends, so that the
 * rollback itself can run).
 */
function callFaultCases(service: EmulatedService, kind: 'throttle' | 'http500'): FaultCase[] {
  return STAGE_CALLS.filter((s) => s.service === service).flatMap(({ index, stage, operation }) => [
    {
      name: `${service} ${kind} ×4 in ${index}:${stage} (${operation}) is retried`,
      note: 'SDK retries 3×, then the ASL Retry; deployment SUCCEEDS',
      atStage: { index, arm: (ctx) => ctx.stack.cloud.emulator.faults.inject({ service, operation, kind, times: 4 }) },
      expect: 'SUCCESS',
    },
    {
      name: `${service} ${kind} persistent in ${index}:${stage} (${operation}) rolls back`,
      note: 'retries exhausted → Catch → rollback; outage ends at ROLLING_BACK',
      atStage: { index, arm: (ctx) => ctx.stack.cloud.emulator.faults.inject({ service, operation, kind }) },
      onRollingBack: (ctx) => ctx.stack.cloud.emulator.faults.clear(),
      expect: 'FAILURE',
    },
  ]);
}

function throwOnce(index: number, stage: string): FaultCase {
  return {
    name: `stage Lambda throws once at the start of ${index}:${stage}`,
    note: 'plain Error is retried by the ASL (MaxAttempts 2); SUCCEEDS',
    stageWrapper: () => {
      let thrown = false;
      return async (event, context, next) => {
        const e = event as { action: string; data: ExecutionData };
        if (!thrown && e.action === 'start' && stageToStart(e.data)?.index === index) {
          thrown = true;
          throw new Error(`injected crash in ${stage}`);
        }
        return next(event, context);
      };
    },
    expect: 'SUCCESS',
  };
}

const stopAt = (index: number, stage: string): FaultCase => ({
  name: `StopExecution as ${index}:${stage} starts`,
  note: 'ABORTED → finaliser rolls back (rollback-only execution) → CANCELLED',
  atStage: { index, arm: (ctx) => ctx.stack.cloud.sfn.stopExecution(executionArnOf(ctx.stack, ctx.deploymentId())) },
  expect: 'CANCELLED',
});

function executionArnOf(stack: FaultGroup['h']['stack'], deploymentId: string): string {
  const e = stack.cloud.sfn.listExecutions({ stateMachineArn: stack.stateMachineArn }).find((x) => x.input.includes(`"deploymentId":"${deploymentId}"`));
  if (!e) throw new Error(`no execution for ${deploymentId}`);
  return e.executionArn;
}

async function runGroup(title: string, cases: FaultCase[], apps = ['canary'], files: Record<string, string> = {}) {
  const group = await startFaultGroup(apps, files);
  const broken: string[] = [];
  try {
    for (const c of cases) {
      try {
        await summary.track(`${title}: ${c.name}`, c.note, () => group.run(c));
      } catch (err) {
        broken.push(`${c.name}: ${(err as Error).message}`);
      }
    }
  } finally {
    await group.stop();
  }
  expect(broken).toEqual([]);
}

describe.concurrent('faults in every stage of the canary pipeline', { timeout: 180_000 }, () => {
  it('ECS throttling: transient faults are retried, persistent ones roll back cleanly', () => runGroup('ecs', callFaultCases('ecs', 'throttle')));
  it('ECS 5xx: transient faults are retried, persistent ones roll back cleanly', () => runGroup('ecs', callFaultCases('ecs', 'http500')));
  it('ELBv2 throttling: transient faults are retried, persistent ones roll back cleanly', () => runGroup('elbv2', callFaultCases('elbv2', 'throttle')));
  it('ELBv2 5xx: transient faults are retried, persistent ones roll back cleanly', () => runGroup('elbv2', callFaultCases('elbv2', 'http500')));

  it('crashing tasks and unhealthy targets end in a clean rollback', () =>
    runGroup('tasks', [
      {
        name: 'canary tasks crash (new image) in 0:ECS_CANARY_ROLLOUT',
        note: 'the canary never stabilises; the stage fails early with the ECS reason',
        atStage: {
          index: 0,
          arm: (ctx) =>
            ctx.stack.cloud.emulator.faults.crashTasks({ image: `${ctx.app}:${ctx.tag}`, reason: 'Essential container in task exited', afterMs: 1_000 }),
        },
        expect: 'FAILURE',
      },
      {
        name: 'new-version tasks crash from 3:ECS_PRIMARY_ROLLOUT',
        note: '503 allowed: the canary (same image) carries 20% and crashes with it, as a real ALB would 503',
        atStage: {
          index: 3,
          arm: (ctx) =>
            ctx.stack.cloud.emulator.faults.crashTasks({ image: `${ctx.app}:${ctx.tag}`, reason: 'OutOfMemoryError: Container killed', afterMs: 1_000 }),
        },
        expect: 'FAILURE',
        allow503: true,
      },
      {
        name: 'canary targets never healthy before 1:ECS_TRAFFIC_ROUTING',
        note: 'routing refuses to weight an unhealthy canary; no 503 reaches users',
        atStage: {
          index: 0,
          arm: (ctx) => ctx.stack.cloud.emulator.faults.unhealthyTargets({ targetGroupArn: ctx.stack.topology!.targetGroups[ctx.app]!.canary! }),
        },
        expect: 'FAILURE',
      },
    ]));

  it('a stage Lambda that throws once mid-pipeline is retried', () =>
    runGroup('lambda', [
      throwOnce(0, 'ECS_CANARY_ROLLOUT'),
      throwOnce(1, 'ECS_TRAFFIC_ROUTING'),
      throwOnce(3, 'ECS_PRIMARY_ROLLOUT'),
      throwOnce(4, 'ECS_TRAFFIC_ROUTING'),
      throwOnce(5, 'ECS_CANARY_CLEAN'),
    ]));

  it('StopExecution at several points is finalised with a clean rollback', () =>
    runGroup('stop', [
      {
        name: 'StopExecution while WAITING_APPROVAL',
        note: 'ABORTED with an open task token → rollback-only execution → CANCELLED',
        approve: false,
        during: async (ctx) => {
          await untilStatus(ctx, 'WAITING_APPROVAL');
          ctx.stack.cloud.sfn.stopExecution(executionArnOf(ctx.stack, ctx.deploymentId()));
        },
        expect: 'CANCELLED',
      },
      stopAt(4, 'ECS_TRAFFIC_ROUTING'),
      stopAt(5, 'ECS_CANARY_CLEAN'),
      stopAt(3, 'ECS_PRIMARY_ROLLOUT'),
      stopAt(1, 'ECS_TRAFFIC_ROUTING'),
      // Last: a stop while the stage Lambda is in flight; were it to leak a task set, it would be
      // the last case to see it.
      stopAt(0, 'ECS_CANARY_ROLLOUT'),
    ]));

  it('an approval that times out rolls back', async () => {
    const files = await exampleFiles(['approval']);
    const config = 'apps/approval/app.pipecd.yaml';
    files[config] = files[config]!.replace('timeout: 1h', 'timeout: 1s');
    await runGroup(
      'approval',
      [
        {
          name: 'WAIT_APPROVAL times out after 1s (approval example)',
          note: 'States.Timeout on the callback task → rollback (the local timeout is real time)',
          app: 'approval',
          approve: false,
          expect: 'FAILURE',
        },
      ],
      ['approval'],
      files,
    );
  });
});
