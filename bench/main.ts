/**
 * The benchmark proper (bench/run.ts sets the environment first): measures stepcd on the local
 * cloud and prints one JSON object, also written to bench/results/latest.json. See bench/README.md for what each figure means.
 *
 * Flags: --skip <section>[,<section>…] (pipelines, rollback, trigger, fanout, bundles, demo),
 *        --fanout-apps <n> (default 1000), --trigger-samples <n> (default 20), --out <file>.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measurePipelines } from './pipelines.js';
import { readFunctionMemoryMb } from './serverless-memory.js';

const DEFAULT_OUT = fileURLToPath(new URL('./results/latest.json', import.meta.url));

const { values } = parseArgs({
  options: {
    skip: { type: 'string', default: '' },
    'fanout-apps': { type: 'string', default: '1000' },
    'trigger-samples': { type: 'string', default: '20' },
    out: { type: 'string', default: DEFAULT_OUT },
  },
});
const skip = new Set(values.skip.split(',').map((s) => s.trim()).filter(Boolean));

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

const memoryMb = await readFunctionMemoryMb();
const result = {
  generatedAt: new Date().toISOString(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? null, node: process.version, platform: `${process.platform}-${process.arch}` },
  lambdaMemoryMb: memoryMb,
  pipelines: await section('pipelines', () => measurePipelines({ memoryMb })),
};

const text = JSON.stringify(result, null, 2);
const out = resolve(values.out);
await mkdir(dirname(out), { recursive: true });
await writeFile(out, `${text}\n`);
process.stdout.write(`${text}\n`);
process.stderr.write(`bench: wrote ${out}\n`);
// Lambda handlers keep timers (middy's secret cache) and SDK sockets alive: end explicitly.
process.exit(0);
