import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ManualClock } from '../src/local/clock.js';
import { DEFAULT_QUEUE_BACKSTOP_SECONDS } from '../src/config/index.js';
import type { EmulatorTimings } from '../src/local/ecs-elbv2/index.js';
import { EXAMPLES_DIR } from '../test/support/examples.js';
import { startBenchStack, type BenchStack } from './support/bench-stack.js';
import { classifyTransitions, enteredStates } from './transitions.js';

/** The kinds of waiting a deployment does, each measured by its own scenario. */
export const WAIT_KINDS = ['stability', 'analysis', 'queue', 'wait', 'approval'] as const;
export type WaitKind = (typeof WAIT_KINDS)[number];

/** One run of a scenario: how long it waited on the emulated clock, and what the execution cost. */
export interface WaitRun {
  waitedSeconds: number;
  /** Billed transitions of the measured execution (LocalSfn.transitions, retries included). */
  transitions: number;
  status: string;
  /** StateEntered counts of the states that repeat while waiting (see bench/transitions.ts). */
  pollLoops: { stabilise: number; rollback: number; queue: number };
}

export interface WaitSlope {
  short: WaitRun;
  long: WaitRun;
  /** (long − short transitions) / (long − short hours waited): what one more hour of this wait costs. */
  perHour: number | null;
  note?: string;
}

/** The waiting durations of the two runs per kind, in emulated seconds. */
const DURATIONS: Record<WaitKind, [number, number]> = {
  // Inside the default stableTimeout (10 min).
  stability: [70, 370],
  analysis: [120, 1_920],
  queue: [120, 1_920],
  wait: [60, 3_660],
  approval: [300, 3_900],
};

const APP = 'waiting';
/** How far the emulated clock moves every 10 real ms while the queued deployment waits. */
const QUEUE_CLOCK_STEP_MS = 15_000;

/**
 * Transitions per hour of waiting, for each kind of wait, from real executions of the one ASL: each
 * scenario runs twice with different emulated waiting, and the slope between the two runs is the
 * figure. The clock is a ManualClock (1×, moved only by Wait states and by the scenario), so nothing
 * depends on this machine's speed. Whatever the ASL does while waiting (a poll loop, a task token,
 * a Wait state) is what gets counted.
 */
export async function measureWaiting(opts: { only?: readonly WaitKind[] } = {}): Promise<Record<WaitKind, WaitSlope | { error: string }>> {
  const out = {} as Record<WaitKind, WaitSlope | { error: string }>;
  for (const kind of opts.only ?? WAIT_KINDS) {
    try {
      const [shortS, longS] = DURATIONS[kind];
      const short = await runScenario(kind, shortS);
      const long = await runScenario(kind, longS);
      const hours = (long.waitedSeconds - short.waitedSeconds) / 3600;
      const perHour = hours > 0 ? Math.round((long.transitions - short.transitions) / hours) : null;
      out[kind] = { short, long, perHour, ...(perHour === null ? { note: 'both runs waited as long' } : {}) };
    } catch (err) {
      out[kind] = { error: (err as Error).message };
    }
  }
  return out;
}

/** One fresh stack per run: the ECS timings and the clock are the stack's. */
async function runScenario(kind: WaitKind, seconds: number): Promise<WaitRun> {
  const clock = new ManualClock();
  const timings: Partial<EmulatorTimings> = kind === 'stability' ? { taskStartMs: (seconds - 30) * 1000, healthyAfterMs: 30_000 } : {};
  // Queued waits on a task token whose timeout is the backstop for a lost hand-off. Locally that
  // timeout runs in real seconds; here it runs on the emulated clock (as WaitStable's does), at
  // AWS's default backstop, and the clock moves while the token waits, so every backstop that
  // fires (Queued → Begin → Route → Queued) is in the execution history and is counted.
  const bench = await startBenchStack({
    clock,
    timings,
    queueBackstopSeconds: DEFAULT_QUEUE_BACKSTOP_SECONDS,
    waitPolicy: { Queued: { callbackOnClock: { stepMs: QUEUE_CLOCK_STEP_MS } } },
  });
  try {
    await bench.commit(await scenarioFiles(kind, seconds), `${kind} scenario`);
    if (kind === 'analysis') {
      // An alarm that stays OK: the analysis runs its whole duration and passes.
      bench.stack.cloud.cloudwatch.alarms.put(`${APP}-errors`, { MetricName: 'Errors', Namespace: 'bench' });
      bench.stack.cloud.cloudwatch.alarms.setState(`${APP}-errors`, 'OK', 'bench: healthy');
    }
    if (kind === 'queue') return await runQueue(bench, clock, seconds);
    if (kind === 'approval') approveAfter(bench, clock, seconds);
    const started = clock.now();
    const arn = await pushAndStart(bench, '1.1.0');
    const run = await bench.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 120_000 });
    return figures(bench, arn, run.status, (clock.now() - started) / 1000, seconds);
  } finally {
    await bench.stop();
  }
}

/**
 * Queue: a first deployment holds the app's lock at its approval; a second, pushed right after,
 * waits behind it. The first is approved once the clock has moved `seconds` past the second's start;
 * the second execution's transitions are the figure.
 */
async function runQueue(bench: BenchStack, clock: ManualClock, seconds: number): Promise<WaitRun> {
  const holder = await pushAndStart(bench, '1.1.0');
  await until(
    async () => (await bench.stack.core.history.getDeployment(deploymentIdOf(bench, holder)))?.status === 'WAITING_APPROVAL',
    'the first deployment waits for approval',
  );
  const queuedAt = clock.now();
  const queued = await pushAndStart(bench, '1.2.0');
  // The clock moves while Queued's token waits (callbackOnClock). A queue that never enters Queued
  // (it waits some other way) would leave the clock still: then, after a real second without it,
  // time is moved here instead.
  const since = performance.now();
  await until(() => {
    if (clock.now() - queuedAt >= seconds * 1000) return true;
    if (!entered(bench, queued, 'Queued') && performance.now() - since > 1_000) clock.advance(QUEUE_CLOCK_STEP_MS);
    return false;
  }, `the clock to pass ${seconds} s`);
  // The queued deployment has the same approval stage: approved at once, it adds no waiting of its own.
  bench.autoApprove();
  await bench.stack.approvals.approve({ deploymentId: deploymentIdOf(bench, holder), user: 'U-BENCH', via: 'cli', now: new Date(clock.now()) });
  const run = await bench.stack.cloud.sfn.waitForExecution(queued, { timeoutMs: 120_000 });
  return figures(bench, queued, run.status, (clock.now() - queuedAt) / 1000, seconds);
}

function entered(bench: BenchStack, arn: string, state: string): boolean {
  return enteredStates(bench.stack.cloud.sfn.history(arn)).includes(state);
}

const executionDeployments = new Map<string, string>();
function deploymentIdOf(_bench: BenchStack, arn: string): string {
  const id = executionDeployments.get(arn);
  if (!id) throw new Error(`no deployment known for ${arn}`);
  return id;
}

/** Approval: once the request Lambda has returned, the clock moves `seconds`, then someone approves. */
function approveAfter(bench: BenchStack, clock: ManualClock, seconds: number): void {
  bench.addHook({
    after(name, event, error) {
      if (name !== 'approval-request' || error !== undefined) return;
      const deploymentId = (event as { plan?: { deploymentId?: string } }).plan?.deploymentId;
      if (!deploymentId) return;
      clock.advance(seconds * 1000);
      void bench.stack.approvals.approve({ deploymentId, user: 'U-BENCH', via: 'cli', now: new Date(clock.now()) }).catch(() => undefined);
    },
  });
}

async function pushAndStart(bench: BenchStack, tag: string): Promise<string> {
  const pushed = await bench.bumpImage(APP, tag);
  const app = pushed.body.apps?.find((a) => a.app === APP);
  if (!app?.executionArn) throw new Error(`push of ${APP}:${tag} started no execution (HTTP ${pushed.status}): ${JSON.stringify(pushed.body)}`);
  executionDeployments.set(app.executionArn, app.deploymentId);
  return app.executionArn;
}

function figures(bench: BenchStack, arn: string, status: string, waitedSeconds: number, nominal: number): WaitRun {
  const classified = classifyTransitions(enteredStates(bench.stack.cloud.sfn.history(arn)), bench.stack.cloud.sfn.transitions(arn));
  if (status !== 'SUCCEEDED') throw new Error(`the ${nominal} s run ended ${status}`);
  return { waitedSeconds: Math.round(waitedSeconds), transitions: classified.includingPollLoops, status, pollLoops: classified.pollLoops };
}

async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

/**
 * examples/apps/simple with a pipeline that waits once, in the way `kind` names, then rolls out the
 * primary. alwaysUsePipeline, so the first deployment of the app (the measured one) runs it.
 */
async function scenarioFiles(kind: WaitKind, seconds: number): Promise<Record<string, string>> {
  const dir = join(EXAMPLES_DIR, 'simple');
  const read = (file: string) => readFile(join(dir, file), 'utf8');
  const [config, servicedef, taskdef] = [await read('app.pipecd.yaml'), await read('servicedef.yaml'), await read('taskdef.yaml')];
  const rename = (text: string) =>
    text
      .replace(/^(\s*name:) simple$/m, `$1 ${APP}`)
      .replace(/^serviceName: simple$/m, `serviceName: ${APP}`)
      .replace(/^family: simple$/m, `family: ${APP}`);
  const waiting: Record<WaitKind, string> = {
    stability: '      - name: ECS_SYNC\n',
    analysis: `      - name: ANALYSIS\n        with:\n          duration: ${seconds}s\n          alarms:\n            - ${APP}-errors\n      - name: ECS_PRIMARY_ROLLOUT\n`,
    queue: '      - name: WAIT_APPROVAL\n        with:\n          timeout: 6h\n      - name: ECS_PRIMARY_ROLLOUT\n',
    wait: `      - name: WAIT\n        with:\n          duration: ${seconds}s\n      - name: ECS_PRIMARY_ROLLOUT\n`,
    approval: '      - name: WAIT_APPROVAL\n        with:\n          timeout: 6h\n      - name: ECS_PRIMARY_ROLLOUT\n',
  };
  const pipeline = `  planner:\n    alwaysUsePipeline: true\n  pipeline:\n    stages:\n${waiting[kind]}`;
  return {
    [`apps/${APP}/app.pipecd.yaml`]: `${rename(config).trimEnd()}\n${pipeline}`,
    [`apps/${APP}/servicedef.yaml`]: rename(servicedef),
    [`apps/${APP}/taskdef.yaml`]: rename(taskdef),
  };
}
