import { CloudWatchClient, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import type { ScaledClock } from '../../src/local/clock.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { waitFor } from '../support/waits.js';
import { putTarget5xxAlarm } from '../support/alarms.js';

const ALARM = 'events-canary-5xx';
const CANARY_TG = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/canary-canary/72e8044a9a76310b';
const HOUR_MS = 3_600_000;

/** The canary app with its pipeline replaced; `stepcd` lines go under spec.stepcd. */
function canaryApp(header: string, stages: string, stepcd = ''): string {
  const spec = stepcd ? header.replace('spec:\n  name: canary\n', `spec:\n  name: canary\n  stepcd:\n${stepcd}`) : header;
  return `${spec}  pipeline:\n    stages:\n${stages}`;
}

const ROLLOUT = `      - name: ECS_CANARY_ROLLOUT
        with:
          scale: 50
          stableTimeout: 3h
      - name: ECS_CANARY_CLEAN
`;

/**
 * Issue 15: a stage waiting for stability (or an ANALYSIS window) sleeps on a task token that the
 * ecs-events function resumes on the emulator's ECS events and the local CloudWatch's alarm events,
 * with a backstop check every stabilityBackstopSeconds. What it costs is counted from the execution
 * history: flat in the time waited, not a poll every 15 s.
 */
describe('stability and ANALYSIS by event', () => {
  let h: StackHarness;
  let cloudwatch: CloudWatchClient;
  let header: string;
  let tag = 0;

  beforeAll(async () => {
    // Emulated time runs 30 s per 10 real ms while a stage waits, so an hour passes in about a second;
    // targets take 3 emulated minutes to turn healthy (under the 5-minute backstop), so the first look of
    // a wait finds its set still stabilising and the event is what ends it.
    h = await startStackHarness({
      waitPolicy: { WaitStable: { callbackOnClock: { stepMs: 30_000, everyMs: 10 } } },
      timings: { healthyAfterMs: 3 * 60_000 },
    });
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

  const entered = (arn: string, state: string) => h.entered(arn, state);
  /** What resumed each wait that CheckStable followed: `event`, `check` (found over at once), or a timeout. */
  const wakes = (arn: string) =>
    h.stack.cloud.sfn
      .history(arn)
      .filter((e) => e.type === 'TaskStateEntered' && (e.details as { value?: { name?: string } }).value?.name === 'CheckStable')
      .map((e) => {
        const wake = (JSON.parse((e.details as unknown as { value: { input: string } }).value.input) as { wake?: { woke?: string; Error?: string } }).wake;
        return wake?.woke ?? wake?.Error;
      });
  const stageInvocations = () =>
    h.stack.cloud.calls.calls.filter((c) => c.principal === 'state-machine' && String((c.input as { FunctionName?: string }).FunctionName).endsWith(':stage'))
      .length;

  async function run(manifest: string, during?: (arn: string, id: string) => Promise<void>) {
    const invocationsBefore = stageInvocations();
    const clockBefore = h.stack.cloud.clock.now();
    const { id, arn } = await h.deploy({ ...(await h.imageBump('canary', `15.${tag++}.0`)), 'apps/canary/app.pipecd.yaml': manifest });
    await during?.(arn, id);
    const ended = await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 60_000 });
    const record = await h.stack.core.history.getDeployment(id);
    return {
      ended,
      record,
      transitions: h.stack.cloud.sfn.transitions(arn),
      waits: entered(arn, 'WaitStable'),
      checks: entered(arn, 'CheckStable'),
      wokeBy: wakes(arn),
      stageInvocations: stageInvocations() - invocationsBefore,
      emulatedMs: h.stack.cloud.clock.now() - clockBefore,
    };
  }

  it('resumes a stage on TASKSET_STEADY_STATE, and an hour of waiting costs only its backstop checks', async () => {
    // Prepare: the same pipeline once as fast as the emulator allows, once held STABILIZING for an hour.
    const manifest = canaryApp(header, ROLLOUT);
    const quick = await run(manifest);
    expect(quick.ended.status).toBe('SUCCEEDED');

    h.stack.cloud.emulator.faults.unhealthyTargets({ targetGroupArn: CANARY_TG });
    const slow = await run(manifest, async (arn) => {
      try {
        await waitFor('the canary stage to wait', async () => (entered(arn, 'WaitStable') > 0 ? true : undefined));
        const from = h.stack.cloud.clock.now();
        await waitFor('an emulated hour', async () => (h.stack.cloud.clock.now() - from >= HOUR_MS ? true : undefined), { timeoutMs: 30_000 });
      } finally {
        h.stack.cloud.emulator.faults.clear();
      }
    });

    // Assess: the event ended both waits (one WaitStable, one CheckStable after it, when nothing was lost).
    expect(quick).toMatchObject({ waits: 1, checks: 1, wokeBy: ['event'] });
    expect(slow.ended.status).toBe('SUCCEEDED');
    expect(slow.emulatedMs).toBeGreaterThanOrEqual(HOUR_MS);
    // An hour at the default 300 s backstop: 12 slices, each one transition and one invocation,
    // where the poll loop it replaces made 3 transitions and 1 invocation every 15 s (720 and 240).
    const hours = slow.emulatedMs / HOUR_MS;
    expect(slow.waits - quick.waits).toBeLessThanOrEqual(Math.ceil(12 * hours) + 1);
    expect(slow.transitions - quick.transitions).toBeLessThanOrEqual(Math.ceil(12 * hours) + 1);
    expect(slow.stageInvocations - quick.stageInvocations).toBeLessThanOrEqual(Math.ceil(12 * hours) + 1);
    expect(slow.checks).toBe(1);
  });

  it('catches a lost TASKSET_STEADY_STATE with the backstop check, one slice later', async () => {
    h.stack.cloud.emulator.faults.events({ lose: Number.POSITIVE_INFINITY });
    const lostBefore = h.stack.cloud.emulator.faults.lostEvents;
    try {
      const result = await run(canaryApp(header, ROLLOUT, '    stabilityBackstop: 2m\n'));
      expect(result.ended.status).toBe('SUCCEEDED');
      expect(h.stack.cloud.emulator.faults.lostEvents).toBeGreaterThan(lostBefore);
      // The first wait heard nothing; its slice ended and the backstop look found the set steady.
      expect(result.waits).toBeGreaterThanOrEqual(2);
      expect(result.emulatedMs).toBeGreaterThanOrEqual(120_000);
      expect(result.checks).toBe(1);
      expect(result.wokeBy).toEqual(['check']);
    } finally {
      h.stack.cloud.emulator.faults.clear();
    }
  });

  it('waits for a delayed event instead of polling, and resumes when it arrives', async () => {
    h.stack.cloud.emulator.faults.events({ delayMs: 20 * 60_000 });
    try {
      const result = await run(canaryApp(header, ROLLOUT, '    stabilityBackstop: 1h\n'));
      expect(result.ended.status).toBe('SUCCEEDED');
      // One wait, resumed by an event before its one-hour backstop slice ended, and no earlier than
      // the delay: every event sent since the fault was set arrives 20 emulated minutes late.
      expect(result).toMatchObject({ waits: 1, checks: 1, wokeBy: ['event'] });
      expect(result.emulatedMs).toBeGreaterThanOrEqual(20 * 60_000);
      expect(result.emulatedMs).toBeLessThan(HOUR_MS);
    } finally {
      h.stack.cloud.emulator.faults.clear();
    }
  });

  it('invokes ecs-events for the events a wait can end on, and not for the scale-in stops of old task sets', async () => {
    const invoked = () => h.stack.invocations()['ecs-events'] ?? 0;
    const [invokedBefore, eventsBefore] = [invoked(), h.stack.cloud.events.events.length];
    const result = await run(canaryApp(header, ROLLOUT));
    // The cleaned-up canary set's tasks drain and stop on the emulated clock after the execution ends.
    (h.stack.cloud.clock as ScaledClock).advance(10 * 60_000);
    const published = () => h.stack.cloud.events.events.slice(eventsBefore);
    const scaleIns = () =>
      published().filter(
        (e) =>
          e.detailType === 'ECS Task State Change' &&
          String((e.detail as { stoppedReason?: string }).stoppedReason).startsWith('Scaling activity initiated by'),
      );
    await waitFor('the scale-in stops', async () => (scaleIns().length > 0 ? true : undefined));
    await h.stack.cloud.events.drain();

    expect(result.ended.status).toBe('SUCCEEDED');
    expect(scaleIns().every((e) => (e.detail as { stopCode?: string }).stopCode === 'ServiceSchedulerInitiated')).toBe(true);
    // Every invocation was for a steady state (or alarm): none for the stops, none assumed.
    const wakeable = published().filter((e) => e.detailType === 'ECS Service Action' || e.detailType === 'CloudWatch Alarm State Change');
    expect(wakeable.length).toBeGreaterThan(0);
    expect(invoked() - invokedBefore).toBe(wakeable.length);
  });

  it('fails the canary on the stop events of tasks that fail their ELB health checks, long before its timeout', async () => {
    h.stack.cloud.emulator.faults.failHealthChecks({ image: `canary:15.${tag}.0`, check: 'elb', afterMs: 60_000 });
    try {
      const result = await run(canaryApp(header, ROLLOUT));
      expect(result.record?.status).toBe('FAILURE');
      expect(result.record?.reason).toContain('Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:');
      // One wait, failed by the second stop's event: no backstop slice ended, so no check ran.
      expect(result).toMatchObject({ waits: 1, checks: 0 });
      expect(result.emulatedMs).toBeLessThan(HOUR_MS);
    } finally {
      h.stack.cloud.emulator.faults.clear();
    }
  });

  it('fails a two-hour ANALYSIS early on the alarm state change event, from one wait', async () => {
    const stages = `      - name: ECS_CANARY_ROLLOUT
        with:
          scale: 50
          stableTimeout: 3h
      - name: ANALYSIS
        with:
          duration: 2h
          alarms: [${ALARM}]
      - name: ECS_CANARY_CLEAN
`;
    const result = await run(canaryApp(header, stages), async (_arn, id) => {
      await waitFor('ANALYSIS to wait', async () => {
        const r = await h.stack.core.history.getDeployment(id);
        return r?.stages[1]?.status === 'RUNNING' && (await h.stack.core.history.currentWait(id))?.target.kind === 'alarms' ? true : undefined;
      });
      await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: ALARM, StateValue: 'ALARM', StateReason: 'Threshold Crossed: 9 5xx' }));
    });
    await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: ALARM, StateValue: 'OK', StateReason: 'recovered' }));

    expect(result.ended).toMatchObject({ status: 'FAILED' });
    expect(result.record?.status).toBe('FAILURE');
    expect(result.record?.reason).toContain(`alarm ${ALARM} is ALARM: Threshold Crossed: 9 5xx`);
    // Two waits in all: the canary's, then the analysis's, which the event failed (no check loop).
    expect(result.waits).toBe(2);
    expect(result.checks).toBe(1);
    expect(result.emulatedMs).toBeLessThan(2 * HOUR_MS);
  });
});
