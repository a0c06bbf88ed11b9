import { describe, expect, it } from 'vitest';
import { measureBundles } from '../../bench/bundles.js';
import { measurePipelines } from '../../bench/pipelines.js';
import { measureRollbackReach } from '../../bench/rollback-reach.js';
import { measureWaiting } from '../../bench/waiting.js';
import { functionMemoryMb, readServerlessYml } from '../../bench/serverless-functions.js';
import { measureFanout, measureFanoutRuns, measureTriggerLatency } from '../../bench/trigger.js';

// Smoke tests on tiny sizes: the figures have the right shape and add up. No timing is asserted.

describe('measurePipelines', () => {
  it('reports transitions, invocations, AWS calls and a cost for each strategy, every deployment succeeding', async () => {
    const figures = await measurePipelines({ memoryMb: functionMemoryMb(await readServerlessYml()) });
    for (const [name, strategy, stages] of [
      ['quickSync', 'QUICK_SYNC', 1],
      ['canary', 'PIPELINE', 6],
      ['blueGreen', 'PIPELINE', 6],
    ] as const) {
      const f = figures[name];
      expect(f.status, name).toBe('SUCCESS');
      expect(f.strategy).toBe(strategy);
      expect(f.stages).toHaveLength(stages);
      expect(f.transitions.includingPollLoops).toBeGreaterThanOrEqual(f.transitions.excludingPollLoops);
      expect(f.transitions.excludingPollLoops).toBeGreaterThan(stages);
      expect(f.lambdaInvocations.total).toBe(
        Object.entries(f.lambdaInvocations)
          .filter(([k]) => k !== 'total')
          .reduce((a, [, n]) => a + n, 0),
      );
      expect(f.lambdaInvocations['github-webhook']).toBe(1);
      expect(f.awsCalls.byOperation['sfn:StartExecution']).toBe(1);
      expect(f.awsCalls.byOperation['ecs:CreateTaskSet']).toBeGreaterThanOrEqual(1);
      expect(f.awsCalls.total).toBe(Object.values(f.awsCalls.byService).reduce((a, n) => a + n, 0));
      expect(f.cost.usd.stepFunctions).toBeCloseTo(f.transitions.includingPollLoops * 0.000025, 12);
      expect(f.cost.usd.total).toBeGreaterThan(f.cost.usd.stepFunctions);
      expect(typeof f.wallMs).toBe('number');
    }
    // Only the pipelines wait for a person, who clicks Approve in Slack: one request, one click.
    // Every other SendTaskSuccess resumed a stability wait, each followed by one CheckStable.
    for (const f of [figures.canary, figures.blueGreen]) {
      expect(f.lambdaInvocations['approval-request']).toBe(1);
      expect(f.lambdaInvocations['slack-interactions']).toBe(1);
      expect(f.awsCalls.byOperation['sfn:SendTaskSuccess']).toBe(1 + (f.transitions.byState.CheckStable ?? 0));
    }
    expect(figures.quickSync.lambdaInvocations['approval-request']).toBeUndefined();
    expect(figures.quickSync.lambdaInvocations['slack-interactions']).toBeUndefined();
    for (const f of [figures.quickSync, figures.canary, figures.blueGreen]) {
      // Each wait that an event resumed cost at least that one ecs-events invocation; the scale-in
      // stops of the replaced task sets cost none.
      const resumedByEvent = f.awsCalls.byOperation['sfn:SendTaskSuccess']! - (f.lambdaInvocations['slack-interactions'] ?? 0);
      expect(f.lambdaInvocations['ecs-events']).toBeGreaterThanOrEqual(resumedByEvent);
      // Every execution succeeded: the finaliser's rule (FAILED, TIMED_OUT, ABORTED) invoked nothing.
      expect(f.lambdaInvocations.finaliser).toBeUndefined();
      // No GitHub API is configured for the bench, so no mirror runs.
      expect(f.lambdaInvocations['github-deployments']).toBeUndefined();
      expect(f.cost.lambda['ecs-events']?.durationSource).toBe('measured');
    }
  });
});

describe('measureWaiting', () => {
  it('prices each wait from two real executions: a WAIT stage and an approval each wait on one token', async () => {
    const figures = await measureWaiting({ only: ['wait', 'approval'] });
    const wait = figures.wait;
    const approval = figures.approval;
    if (!wait || 'error' in wait || !approval || 'error' in approval) throw new Error(JSON.stringify(figures));
    for (const slope of [wait, approval]) {
      expect(slope.short.status).toBe('SUCCEEDED');
      // The long run waited an hour longer on the emulated clock, whatever the ASL does meanwhile.
      expect(slope.long.waitedSeconds - slope.short.waitedSeconds).toBeGreaterThanOrEqual(3_600);
      const hours = (slope.long.waitedSeconds - slope.short.waitedSeconds) / 3600;
      expect(slope.perHour).toBe(Math.round((slope.long.transitions - slope.short.transitions) / hours));
    }
    // A task token costs nothing while it waits: an hour more of WAIT or approval adds no transition.
    expect(approval.long.transitions).toBe(approval.short.transitions);
    expect(wait.long.transitions).toBe(wait.short.transitions);
    expect(wait.perHour).toBe(0);
  }, 120_000);
});

describe('measureRollbackReach', () => {
  it('finds the failure, the rollback, and the moment traffic is back on the last good version', async () => {
    const figures = await measureRollbackReach();
    expect(figures.status).toBe('FAILURE');
    expect(figures.detectedBy).toBe('stepcd.StabilizeFailed');
    expect(figures.reach).not.toBeNull();
    // Traffic goes back by rewriting the listener's forward weights.
    expect(figures.reach!.byOperation['elbv2:ModifyRule']).toBeGreaterThanOrEqual(1);
    expect(figures.toEnd!.awsCalls).toBeGreaterThanOrEqual(figures.reach!.awsCalls);
    expect(figures.probes).toBeGreaterThanOrEqual(1);
  });
});

describe('measureTriggerLatency and measureFanout', () => {
  it('times receipt to StartExecution for one app and starts every app of a small fan-out', async () => {
    const one = await measureTriggerLatency({ samples: 2 });
    expect(one.samples).toBe(2);
    expect(one.receiptToStartExecutionMs.p50).toEqual(expect.any(Number));
    expect(one.receiptToStartExecutionMs.p95).toBeGreaterThanOrEqual(one.receiptToStartExecutionMs.p50!);

    const fanout = await measureFanout({ apps: 3 });
    expect(fanout.response.status).toBe(200);
    expect(fanout.startedExecutions).toBe(3);
    expect(fanout.allStartedMs).toEqual(expect.any(Number));
    expect(fanout.awsCalls['sfn:StartExecution']).toBe(3);
    // One wave: the three services share one DescribeServices, their records one BatchGetItem.
    expect(fanout.awsCalls['ecs:DescribeServices']).toBe(1);
    expect(fanout.awsCalls['dynamodb:BatchGetItem']).toBe(1);
    // Per app its record and its start, and no UpdateItem: Begin (stubbed out here) records the
    // execution. The fourth PutItem is the delivery's dedupe item.
    expect(fanout.awsCalls['dynamodb:PutItem']).toBe(4);
    expect(fanout.awsCalls['dynamodb:UpdateItem']).toBeUndefined();
  });

  it('reports the fan-out run with the median time, and every run’s time', async () => {
    const runs = await measureFanoutRuns({ apps: 2, runs: 3 });
    expect(runs.runs).toBe(3);
    expect(runs.allStartedMsRuns).toHaveLength(3);
    const sorted = [...(runs.allStartedMsRuns as number[])].sort((a, b) => a - b);
    expect(runs.allStartedMs).toBe(sorted[1]);
    expect(runs.startedExecutions).toBe(2);
  });
});

describe('measureBundles', () => {
  it('builds a function with serverless.yml’s esbuild settings and imports the bundle in a fresh process', async () => {
    const figures = await measureBundles(await readServerlessYml(), { runs: 1, only: ['stage'] });
    expect(Object.keys(figures)).toEqual(['stage']);
    expect(figures.stage!.bytes).toBeGreaterThan(10_000);
    expect(figures.stage!.coldImportMs).toEqual(expect.any(Number));
    expect(figures.stage!.runs).toBe(1);
  });
});
