import type { ExecutionData } from '../src/orchestrator/index.js';
import { stageToStart } from '../src/orchestrator/route.js';
import type { ProbeResult } from '../src/local/ecs-elbv2/index.js';
import { FARGATE_LIKE_TIMINGS } from './pipelines.js';
import { exampleFiles } from '../test/support/examples.js';
import { startBenchStack, type BenchStack } from './support/bench-stack.js';
import { addCounts, roundMs, sortedCounts, sum } from './support/stats.js';

const APP = 'canary';
const PROBE_REQUESTS = 100;
/** Real ms between probes taken on a timer, on top of the probe after every AWS response. */
const PROBE_EVERY_MS = 5;

/** A moment in the run, on both clocks, with where each call log stood. */
interface Moment {
  wall: number;
  clock: number;
  emulatorCalls: number;
  sdkCalls: number;
}

export interface RollbackFigures {
  scenario: string;
  emulatorTimings: typeof FARGATE_LIKE_TIMINGS;
  /**
   * The error the failing stage ended with. "Failure detected" is the moment the stage Lambda threw
   * it, or the ecs-events function's SendTaskFailure on the waiting stage's token answered.
   */
  detectedBy: string | null;
  /** The pipeline's final status (FAILURE after a rollback). */
  status: string | null;
  /** From detection until a probe of 100 requests saw only 2xx from the last good version. */
  reach: { awsCalls: number; byOperation: Record<string, number>; emulatedMs: number; wallMs: number } | null;
  /**
   * Every AWS request any function made from detection to the first traffic write (ModifyRule, or
   * ModifyListener for a default action), that write left out: what rollback does before users
   * leave the failed version. From the local cloud's ordered log of all requests; the state
   * machine's own Lambda invocations are transitions, not calls, and are not counted.
   */
  beforeTraffic: { awsCalls: number; byOperation: Record<string, number>; firstWrite: string } | null;
  /** From detection until the execution ended (rollback finished, history written). */
  toEnd: { awsCalls: number; emulatedMs: number; wallMs: number } | null;
  /** Probes taken between detection and the restore that saw any 503. */
  probesWith503: number;
  probes: number;
}

/**
 * Rollback reach: the canary pipeline runs to its approval (auto-approved) with 20% of traffic on the
 * canary; when ECS_PRIMARY_ROLLOUT starts, every task of the new image starts crashing (including the
 * canary's), so the primary rollout fails its stability check and the state machine rolls back. The
 * listener is probed after every AWS response and every few ms to find when users see only the last
 * good version again.
 */
export async function measureRollbackReach(): Promise<RollbackFigures> {
  const bench = await startBenchStack({ timings: FARGATE_LIKE_TIMINGS, recordCalls: true });
  try {
    bench.autoApprove();
    const first = await bench.push(await exampleFiles([APP]), `add ${APP}`);
    const firstArn = first.body.apps?.[0]?.executionArn;
    if (!firstArn || (await bench.stack.cloud.sfn.waitForExecution(firstArn)).status !== 'SUCCEEDED') {
      throw new Error(`first deployment of ${APP} did not succeed: ${JSON.stringify(first.body)}`);
    }
    const listenerArn = bench.stack.topology?.listenerArn;
    if (!listenerArn) throw new Error('the local stack seeded no listener');
    const probe = () => bench.stack.cloud.emulator.probe({ listenerArn, requests: PROBE_REQUESTS, path: `/${APP}/` });
    const lastGood = onlyVersion(probe());
    if (!lastGood) throw new Error(`before the change, ${APP} did not serve one version: ${JSON.stringify(probe())}`);
    return await runFailingChange(bench, probe, lastGood);
  } finally {
    await bench.stop();
  }
}

async function runFailingChange(bench: BenchStack, probe: () => ProbeResult, lastGood: string): Promise<RollbackFigures> {
  const { stack } = bench;
  const now = (): Moment => ({
    wall: performance.now(),
    clock: stack.cloud.clock.now(),
    emulatorCalls: stack.cloud.emulator.calls.all().length,
    sdkCalls: bench.calls.mark(),
  });
  let crashing = false;
  let detected: { at: Moment; error: string; recorded: number } | undefined;
  let restored: Moment | undefined;
  let probes = 0;
  let probesWith503 = 0;
  const check = () => {
    if (!detected || restored) return;
    const seen = probe();
    probes += 1;
    if (seen.outcomes['503'] > 0) probesWith503 += 1;
    if (onlyVersion(seen) === lastGood) restored = now();
  };

  const removeHook = bench.addHook({
    before(name, event) {
      const { action, data } = event as { action?: string; data?: ExecutionData };
      if (name === 'stage' && action === 'start' && data && stageToStart(data)?.name === 'ECS_PRIMARY_ROLLOUT' && !crashing) {
        crashing = true;
        stack.cloud.emulator.faults.crashTasks({ image: `${APP}:2.0.0`, reason: 'Essential container in task exited' });
      }
    },
    after(name, _event, error) {
      if (name !== 'stage' || !crashing || detected || error === undefined) return;
      detected = { at: now(), error: (error as Error).name, recorded: stack.cloud.calls.calls.length };
      check();
    },
  });
  // A stage waiting on events is failed by the ecs-events function, not by a stage Lambda throwing.
  const stopWatching = bench.calls.onResponse((call) => {
    if (crashing && !detected && call.service === 'sfn' && call.operation === 'SendTaskFailure')
      detected = { at: now(), error: '', recorded: stack.cloud.calls.calls.length };
    check();
  });
  const timer = setInterval(check, PROBE_EVERY_MS);
  try {
    const pushed = await bench.bumpImage(APP, '2.0.0');
    const started = pushed.body.apps?.[0];
    if (!started?.executionArn) throw new Error(`the failing change started no execution: ${JSON.stringify(pushed.body)}`);
    await stack.cloud.sfn.waitForExecution(started.executionArn, { timeoutMs: 60_000 });
    if (detected && !detected.error) detected.error = failedTaskError(stack.cloud.sfn.history(started.executionArn)) ?? '';
    await stack.cloud.events.drain();
    check();
    const end = now();
    const record = await stack.core.history.getDeployment(started.deploymentId);
    return {
      emulatorTimings: FARGATE_LIKE_TIMINGS,
      scenario: `${APP}: new image crashes once ECS_PRIMARY_ROLLOUT starts (canary holding 20% of traffic)`,
      detectedBy: detected?.error ?? null,
      status: record?.status ?? null,
      reach: detected && restored ? { ...span(bench, detected.at, restored), wallMs: roundMs(restored.wall - detected.at.wall) } : null,
      beforeTraffic: detected ? callsBeforeTraffic(bench, detected.recorded) : null,
      toEnd: detected
        ? { awsCalls: span(bench, detected.at, end).awsCalls, emulatedMs: end.clock - detected.at.clock, wallMs: roundMs(end.wall - detected.at.wall) }
        : null,
      probesWith503,
      probes,
    };
  } finally {
    clearInterval(timer);
    stopWatching();
    removeHook();
    stack.cloud.emulator.faults.clear();
  }
}

/** AWS calls between two moments (ECS/ELBv2 from the emulator's log, the rest from the SDK counter). */
function span(bench: BenchStack, from: Moment, to: Moment): { awsCalls: number; byOperation: Record<string, number>; emulatedMs: number } {
  const emulated: Record<string, number> = {};
  for (const call of bench.stack.cloud.emulator.calls.all().slice(from.emulatorCalls, to.emulatorCalls)) {
    const key = `${call.service}:${call.operation}`;
    emulated[key] = (emulated[key] ?? 0) + 1;
  }
  const sdk: Record<string, number> = {};
  for (const call of bench.calls.all().slice(from.sdkCalls, to.sdkCalls)) {
    if (call.service === 'ecs' || call.service === 'elbv2') continue;
    const key = `${call.service}:${call.operation}`;
    sdk[key] = (sdk[key] ?? 0) + 1;
  }
  const byOperation = sortedCounts(addCounts(emulated, sdk));
  return { awsCalls: sum(Object.values(byOperation)), byOperation, emulatedMs: to.clock - from.clock };
}

const TRAFFIC_WRITES = new Set(['ModifyRule', 'ModifyListener']);

function callsBeforeTraffic(bench: BenchStack, from: number): RollbackFigures['beforeTraffic'] {
  const after = bench.stack.cloud.calls.calls.slice(from).filter((c) => c.principal !== 'state-machine');
  const first = after.findIndex((c) => c.service === 'elasticloadbalancing' && TRAFFIC_WRITES.has(c.operation));
  if (first < 0) return null;
  const byOperation: Record<string, number> = {};
  for (const c of after.slice(0, first)) byOperation[`${c.service}:${c.operation}`] = (byOperation[`${c.service}:${c.operation}`] ?? 0) + 1;
  return { awsCalls: first, byOperation: sortedCounts(byOperation), firstWrite: `${after[first]!.principal} ${after[first]!.operation}` };
}

/** The one task definition serving every request, if every request succeeded on it. */
export function onlyVersion(result: ProbeResult): string | undefined {
  const versions = Object.keys(result.byVersion);
  if (result.outcomes['503'] > 0 || (result.outcomes['404'] ?? 0) > 0 || versions.length !== 1) return undefined;
  const [version] = versions;
  return version !== undefined && result.byVersion[version] === result.total ? version : undefined;
}

/** The error of the execution's first failed task (TaskFailed), as its history names it. */
function failedTaskError(history: readonly { type: string; details?: { value: Record<string, unknown> } }[]): string | undefined {
  const failed = history.find((e) => e.type === 'TaskFailed');
  const error = failed?.details?.value.error;
  return typeof error === 'string' ? error : undefined;
}
