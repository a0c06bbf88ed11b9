import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { join } from 'node:path';
import type { AwsCall } from './support/aws-calls.js';
import { EXAMPLES_DIR, exampleFiles } from '../test/support/examples.js';
import { startBenchStack, type BenchStack } from './support/bench-stack.js';
import { percentile, roundMs, sortedCounts } from './support/stats.js';

export interface TriggerLatencyFigures {
  samples: number;
  /** Webhook request sent → StartExecution answered, real ms. */
  receiptToStartExecutionMs: { p50: number | null; p95: number | null; max: number | null };
  /** Webhook request sent → webhook response received, real ms. */
  webhookResponseMs: { p50: number | null; p95: number | null; max: number | null };
}

export interface FanoutFigures {
  repoApps: number;
  touchedApps: number;
  /** Webhook request sent → response received, real ms. */
  responseMs: number;
  /** HTTP status and per-app statuses of the response (the rest are started by the continuation). */
  response: { status: number; apps: Record<string, number> };
  /** Webhook request sent → the last StartExecution answered, real ms; null if not all started. */
  allStartedMs: number | null;
  startedExecutions: number;
  /** AWS calls the webhook and its continuation made, per operation. */
  awsCalls: Record<string, number>;
  /**
   * Set when calls were still going a minute after the last start (on a loaded machine the closed
   * executions take that long to end): awsCalls is then what was counted by that time.
   */
  notQuiet?: string;
}

const run = promisify(execFile);
const SIMPLE = 'simple';

/**
 * Receipt to StartExecution for a push touching one app (quick sync of examples/apps/simple),
 * `samples` times, each after the previous deployment ended so runs do not overlap.
 */
export async function measureTriggerLatency(opts: { samples: number }): Promise<TriggerLatencyFigures> {
  const bench = await startBenchStack();
  try {
    const first = await bench.push(await exampleFiles([SIMPLE]), `add ${SIMPLE}`);
    await waitAll(bench, first.body.apps ?? []);
    const toStart: number[] = [];
    const response: number[] = [];
    for (let i = 1; i <= opts.samples; i += 1) {
      const started = nextStartExecution(bench);
      const pushed = await bench.bumpImage(SIMPLE, `1.${i}.0`);
      const call = await started;
      toStart.push((call.respondedAt ?? Number.NaN) - pushed.sentAt);
      response.push(pushed.responseMs);
      await waitAll(bench, pushed.body.apps ?? []);
    }
    return { samples: opts.samples, receiptToStartExecutionMs: summary(toStart), webhookResponseMs: summary(response) };
  } finally {
    await bench.stop();
  }
}

/** measureFanout's figures from the median of `runs` runs, with every run's allStartedMs. */
export interface FanoutRunsFigures extends FanoutFigures {
  runs: number;
  /** Each run's allStartedMs, in order; a null (not all started) makes the median null too. */
  allStartedMsRuns: (number | null)[];
}

/**
 * The fan-out `runs` times, each in a fresh process (bench/fanout-once.ts) so that every run is as
 * cold as the first, reported as the run with the median allStartedMs: one run on a shared machine
 * swings by a third, and the median of three is the figure that stays put.
 */
export async function measureFanoutRuns(opts: { apps: number; runs: number }): Promise<FanoutRunsFigures> {
  const all: FanoutFigures[] = [];
  for (let i = 0; i < opts.runs; i += 1) all.push(await fanoutInFreshProcess(opts.apps));
  const times = all.map((figures) => figures.allStartedMs);
  const allStarted = all.filter((figures) => figures.allStartedMs !== null);
  const sorted = [...allStarted].sort((a, b) => (a.allStartedMs ?? 0) - (b.allStartedMs ?? 0));
  const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? all[0]!;
  return { ...median, ...(allStarted.length < all.length ? { allStartedMs: null } : {}), runs: opts.runs, allStartedMsRuns: times };
}

async function fanoutInFreshProcess(apps: number): Promise<FanoutFigures> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fanout-once.ts', import.meta.url)), String(apps)], {
    env: process.env,
    maxBuffer: 16 * 1024 * 1024,
    timeout: 600_000,
  });
  return JSON.parse(stdout) as FanoutFigures;
}

/**
 * A push touching every app of a repo of `apps` apps (copies of examples/apps/simple). Executions are
 * closed at their first Lambda (Begin answers `lock: CLOSED`, the path a deployment already ended by
 * someone else takes), so the local machine measures the trigger path and not `apps` concurrent
 * deployments: on AWS those run on AWS's side, not in the webhook's.
 */
export async function measureFanout(opts: { apps: number; timeoutMs?: number; prefix?: string }): Promise<FanoutFigures> {
  const bench = await startBenchStack();
  try {
    bench.addHook({
      replace(name, event) {
        const { action, data } = event as { action?: string; data?: object };
        return name === 'orchestrate' && action === 'begin' ? Promise.resolve({ ...data, lock: 'CLOSED' }) : undefined;
      },
    });
    const names = Array.from({ length: opts.apps }, (_, i) => `${opts.prefix ?? 'app'}-${String(i + 1).padStart(4, '0')}`);
    await bench.commit(await generatedApps(names, '1.0.0'), `${opts.apps} apps`);

    let started = 0;
    let lastStartedAt = 0;
    let allStarted: () => void = () => undefined;
    const everyStarted = new Promise<void>((resolve) => (allStarted = resolve));
    const stopCounting = bench.calls.onResponse((call) => {
      if (call.service !== 'sfn' || call.operation !== 'StartExecution' || call.status !== 200) return;
      started += 1;
      lastStartedAt = call.respondedAt ?? performance.now();
      if (started === opts.apps) allStarted();
    });
    const mark = bench.calls.mark();
    const emulatedBefore = bench.stack.cloud.emulator.calls.all().length;
    try {
      const pushed = await bench.push(await generatedApps(names, '1.1.0', ['taskdef.yaml']), `bump ${opts.apps} apps`);
      const timeoutMs = opts.timeoutMs ?? 180_000;
      await Promise.race([everyStarted, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
      // Calls still in flight after the last start (the closed executions ending) are counted too.
      // Still busy after a minute, the timing stands and the counts are marked as partial.
      const notQuiet = await bench.calls.quiesce().then(
        () => undefined,
        (err: Error) => err.message,
      );
      const apps: Record<string, number> = {};
      for (const app of pushed.body.apps ?? []) apps[app.status] = (apps[app.status] ?? 0) + 1;
      const awsCalls = bench.calls.byOperation({ from: mark, services: ['dynamodb', 'sfn', 'events'] });
      for (const call of bench.stack.cloud.emulator.calls.all().slice(emulatedBefore)) {
        const key = `${call.service}:${call.operation}`;
        awsCalls[key] = (awsCalls[key] ?? 0) + 1;
      }
      return {
        repoApps: opts.apps,
        touchedApps: opts.apps,
        responseMs: roundMs(pushed.responseMs),
        response: { status: pushed.status, apps },
        allStartedMs: started === opts.apps ? roundMs(lastStartedAt - pushed.sentAt) : null,
        startedExecutions: started,
        awsCalls: sortedCounts(awsCalls),
        ...(notQuiet ? { notQuiet } : {}),
      };
    } finally {
      stopCounting();
    }
  } finally {
    await bench.stop();
  }
}

/** examples/apps/simple copied under each name (app, service and family renamed), image at `tag`. */
async function generatedApps(names: string[], tag: string, only?: string[]): Promise<Record<string, string>> {
  const template: Record<string, string> = {};
  for (const file of ['app.pipecd.yaml', 'servicedef.yaml', 'taskdef.yaml']) {
    if (!only || only.includes(file)) template[file] = await readFile(join(EXAMPLES_DIR, SIMPLE, file), 'utf8');
  }
  const files: Record<string, string> = {};
  for (const name of names) {
    for (const [file, text] of Object.entries(template)) {
      files[`apps/${name}/${file}`] = text
        .replace(/^(\s*name:) simple$/m, `$1 ${name}`)
        .replace(/^serviceName: simple$/m, `serviceName: ${name}`)
        .replace(/^family: simple$/m, `family: ${name}`)
        .replace(/(registry\.example\.com\/simple):[\w.-]+/, `$1:${tag}`);
    }
  }
  return files;
}

function nextStartExecution(bench: BenchStack): Promise<AwsCall> {
  return new Promise((resolve) => {
    const stop = bench.calls.onResponse((call) => {
      if (call.service !== 'sfn' || call.operation !== 'StartExecution') return;
      stop();
      resolve(call);
    });
  });
}

async function waitAll(bench: BenchStack, apps: { app: string; executionArn?: string }[]): Promise<void> {
  for (const app of apps) {
    if (!app.executionArn) throw new Error(`${app.app}: no execution started`);
    const run = await bench.stack.cloud.sfn.waitForExecution(app.executionArn, { timeoutMs: 60_000 });
    if (run.status !== 'SUCCEEDED') throw new Error(`${app.app}: deployment ended ${run.status} (${run.error ?? ''})`);
  }
}

function summary(values: number[]): { p50: number | null; p95: number | null; max: number | null } {
  const round = (v: number | null) => (v === null ? null : roundMs(v));
  return { p50: round(percentile(values, 50)), p95: round(percentile(values, 95)), max: round(percentile(values, 100)) };
}
