/**
 * The benchmark proper (bench/run.ts sets the environment first): measures stepcd on the local
 * cloud and prints one JSON object, also written to bench/results/latest.json. See bench/README.md for what each figure means.
 *
 * Flags: --skip <section>[,<section>…] (pipelines, waiting, rollback, trigger, fanout, github, bundles, demo),
 *        --fanout-apps <n> (default 1000), --fanout-runs <n> (default 3, the median is reported),
 *        --trigger-samples <n> (default 20),
 *        --import-runs <n> (default 5), --out <file>.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measureBundles } from './bundles.js';
import { measureDemo } from './demo.js';
import { measureGithubReads } from './github-reads.js';
import { goalsOf } from './goals.js';
import { measurePipelines } from './pipelines.js';
import { measureRollbackReach } from './rollback-reach.js';
import { measureWaiting } from './waiting.js';
import { measureFanoutRuns, measureTriggerLatency } from './trigger.js';
import { functionMemoryMb, readServerlessYml } from './serverless-functions.js';

const DEFAULT_OUT = fileURLToPath(new URL('./results/latest.json', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

const { values } = parseArgs({
  options: {
    skip: { type: 'string', default: '' },
    'fanout-apps': { type: 'string', default: '1000' },
    'fanout-runs': { type: 'string', default: '3' },
    'trigger-samples': { type: 'string', default: '20' },
    'import-runs': { type: 'string', default: '5' },
    out: { type: 'string', default: DEFAULT_OUT },
  },
});
const count = (flag: keyof typeof values) => {
  const n = Number(values[flag]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag} must be a positive whole number, got ${values[flag]}`);
  return n;
};
const skip = new Set(
  values.skip
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

/** Runs one section, reporting progress on stderr so stdout stays pure JSON. */
async function section<T>(name: string, run: () => Promise<T>): Promise<T | { skipped: true } | { error: string }> {
  if (skip.has(name)) return { skipped: true };
  const started = performance.now();
  process.stderr.write(`bench: ${name}…\n`);
  try {
    const result = await run();
    process.stderr.write(`bench: ${name} done in ${Math.round(performance.now() - started)} ms\n`);
    return result;
  } catch (err) {
    // One broken section must not hide the others' figures; the error is in the JSON.
    process.stderr.write(`bench: ${name} failed: ${(err as Error).stack ?? String(err)}\n`);
    return { error: (err as Error).message };
  }
}

const serverlessYml = await readServerlessYml();
const memoryMb = functionMemoryMb(serverlessYml);
const result = {
  generatedAt: new Date().toISOString(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, node: process.version, platform: `${process.platform}-${process.arch}` },
  lambdaMemoryMb: memoryMb,
  pipelines: await section('pipelines', () => measurePipelines({ memoryMb })),
  waiting: await section('waiting', () => measureWaiting()),
  rollback: await section('rollback', () => measureRollbackReach()),
  trigger: {
    oneApp: await section('trigger', () => measureTriggerLatency({ samples: count('trigger-samples') })),
    fanout: await section('fanout', () => measureFanoutRuns({ apps: count('fanout-apps'), runs: count('fanout-runs') })),
  },
  github: await section('github', () => measureGithubReads({ apps: 120 })),
  bundles: await section('bundles', () => measureBundles(serverlessYml, { runs: count('import-runs') })),
  // Last, and alone: it starts its own local stack in a child process.
  demo: await section('demo', () => measureDemo(ROOT)),
};

const pipelines = result.pipelines as { canary?: Parameters<typeof goalsOf>[0]['canary'] };
const goals = goalsOf({
  ...(pipelines && 'canary' in pipelines ? { canary: pipelines.canary } : {}),
  rollback: result.rollback as Parameters<typeof goalsOf>[0]['rollback'],
  waiting: result.waiting,
  bundles: result.bundles,
  fanout: result.trigger.fanout as Parameters<typeof goalsOf>[0]['fanout'],
  githubReadsPerApp: result.github && 'readsPerApp' in result.github ? result.github.readsPerApp : null,
});
const text = JSON.stringify({ ...result, goals }, null, 2);
const out = resolve(values.out);
await mkdir(dirname(out), { recursive: true });
await writeFile(out, `${text}\n`);
process.stdout.write(`${text}\n`);
process.stderr.write(`bench: wrote ${out}\n`);
// Lambda handlers keep timers (middy's secret cache) and SDK sockets alive: end explicitly.
process.exit(0);
