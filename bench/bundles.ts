import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { build, type Plugin } from 'esbuild';
import { LOAD_BUNDLE } from '../test/deploy/support/import-bundle.js';
import { startSsmStub } from '../test/deploy/support/ssm-stub.js';
import { bundleSettings, functionEntries, SERVERLESS_FILE } from './serverless-functions.js';
import { median, roundMs } from './support/stats.js';

const run = promisify(execFile);
const ROOT = dirname(SERVERLESS_FILE);

export interface BundleFigures {
  /** Minified bundle size in bytes, as serverless.yml's esbuild settings build it. */
  bytes: number;
  /** Median ms to load the bundle (`require` for `.cjs`, as the Lambda runtime does) in a fresh Node process (module evaluation only). */
  coldImportMs: number | null;
  /** Median ms from spawning that Node process to its exit: what a cold start adds before the handler runs, roughly. */
  processMs: number | null;
  runs: number;
}

/**
 * The script a fresh Node process runs: time loading the real file as the Lambda runtime does (its
 * own script is an ES module, as this one is; a `.cjs` handler is loaded with `require`), then exit,
 * since middy's secret cache keeps a timer alive.
 */
const IMPORT_SCRIPT = `${LOAD_BUNDLE}
const started = performance.now();
const mod = await loadBundle(process.argv[2]);
const ms = performance.now() - started;
if (typeof mod.handler !== 'function') { console.error('no handler export'); process.exit(2); }
process.stdout.write(String(ms));
process.exit(0);
`;

/**
 * Builds every function in serverless.yml with its `custom.esbuild` settings, then imports each
 * bundle `runs` times in a fresh Node process, one round over all the bundles at a time. The secrets
 * middleware prefetches secrets while a handler module loads, so the child's SSM endpoint is a
 * loopback stub and every setting the handlers read is set.
 */
export async function measureBundles(serverlessYml: string, opts: { runs: number; only?: string[] }): Promise<Record<string, BundleFigures>> {
  const settings = bundleSettings(serverlessYml);
  const entries = Object.entries(functionEntries(serverlessYml)).filter(([name]) => !opts.only || opts.only.includes(name));
  const plugins = settings.plugins ? (createRequire(import.meta.url)(resolve(ROOT, settings.plugins)) as Plugin[]) : [];
  const work = await mkdtemp(join(tmpdir(), 'stepcd-bench-bundles-'));
  const ssm = await startSsmStub();
  try {
    const script = join(work, 'import-once.mjs');
    await writeFile(script, IMPORT_SCRIPT);
    const built: { name: string; outfile: string }[] = [];
    for (const [name, entry] of entries) {
      const outfile = join(work, name, `handler${settings.outExtension}`);
      await build({
        entryPoints: [resolve(ROOT, entry)],
        outfile,
        bundle: true,
        minify: settings.minify,
        sourcemap: settings.sourcemap,
        platform: settings.platform,
        target: settings.target,
        format: settings.format,
        ...(settings.banner ? { banner: { js: settings.banner } } : {}),
        ...(settings.mainFields ? { mainFields: settings.mainFields } : {}),
        plugins,
        logLevel: 'silent',
      });
      built.push({ name, outfile });
    }
    // Round-robin: each round imports every bundle once, so a slow minute of a shared machine lands
    // on all of them alike rather than on whichever bundle was being measured then.
    const imports = new Map(built.map(({ name }) => [name, [] as number[]]));
    const processes = new Map(built.map(({ name }) => [name, [] as number[]]));
    for (let i = 0; i < opts.runs; i += 1) {
      for (const { name, outfile } of built) {
        const spawned = performance.now();
        const { stdout } = await run(process.execPath, [script, outfile], { env: handlerEnv(ssm.url), timeout: 60_000 });
        processes.get(name)!.push(performance.now() - spawned);
        imports.get(name)!.push(Number(stdout));
      }
    }
    const out: Record<string, BundleFigures> = {};
    for (const { name, outfile } of built) {
      const importMs = median(imports.get(name)!);
      const processMs = median(processes.get(name)!);
      out[name] = {
        bytes: (await stat(outfile)).size,
        coldImportMs: importMs === null ? null : roundMs(importMs),
        processMs: processMs === null ? null : roundMs(processMs),
        runs: opts.runs,
      };
    }
    return out;
  } finally {
    await ssm.close();
    await rm(work, { recursive: true, force: true });
  }
}

/** What a deployed function's environment holds (names only, no secrets), pointed at loopback. */
function handlerEnv(ssmUrl: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_SSM: ssmUrl,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    AWS_LAMBDA_FUNCTION_NAME: 'stepcd-bench',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    STEPCD_TABLE: 'stepcd-bench-history',
    STEPCD_EVENT_BUS: 'stepcd-bench',
    STEPCD_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:stepcd-bench-deployment',
    STEPCD_GITHUB_REPOS: 'local/manifests',
    STEPCD_SECRET_GITHUB_WEBHOOK: '/stepcd/bench/github-webhook-secret',
    STEPCD_SECRET_GITHUB_TOKEN: '/stepcd/bench/github-token',
    STEPCD_SECRET_SLACK_BOT_TOKEN: '/stepcd/bench/slack-bot-token',
    STEPCD_SECRET_SLACK_SIGNING: '/stepcd/bench/slack-signing-secret',
  };
}
