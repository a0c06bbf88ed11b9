import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { offlineEnv, readNetworkLog, REPO_ROOT } from './support/package-offline.js';

const require = createRequire(import.meta.url);
const { forbidLocalCloud, preferEsModules, lambdaCredentialsFromEnv } = require('../../esbuild.plugins.cjs') as {
  forbidLocalCloud: () => import('esbuild').Plugin;
  preferEsModules: () => import('esbuild').Plugin;
  lambdaCredentialsFromEnv: () => import('esbuild').Plugin;
};
const run = promisify(execFile);

/** Bundles `contents` as the Lambda bundles resolve the SDK (its ES modules), with `plugins`, keeping the metafile. */
function sdkBundle(contents: string, plugins: import('esbuild').Plugin[]) {
  return build({
    stdin: { contents, resolveDir: REPO_ROOT, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    mainFields: ['module', 'main'],
    metafile: true,
    logLevel: 'silent',
    plugins,
  });
}

/** Bundles one line of code from the repository root with the plugin the Lambda bundles use. */
const bundle = (contents: string) => sdkBundle(contents, [forbidLocalCloud()]);

describe('esbuild plugin: forbidLocalCloud', () => {
  it.each([
    ['fail: a relative import of src/local', "import './src/local/clock.js';", /src\/local/],
    ['fail: dynalite', "import 'dynalite';", /dynalite.*local cloud only/],
    ['fail: aws-local-stepfunctions', "import 'aws-local-stepfunctions';", /aws-local-stepfunctions.*local cloud only/],
  ])('%s breaks the build', async (_name, contents, message) => {
    await expect(bundle(contents)).rejects.toThrow(message);
  });

  it('success: production code that stays out of the local cloud bundles', async () => {
    const result = await bundle("export { loadConfig } from './src/config/index.js';");
    expect(result.errors).toEqual([]);
    expect(result.outputFiles?.[0]?.text).toContain('STEPCD_TABLE');
  });
});

describe('esbuild plugin: preferEsModules', () => {
  const entry = "import { parseDocument } from 'yaml'; export const parsed = parseDocument('a: [1, 2]').toJS();";

  it('bundles yaml from its ES modules, not its CommonJS build', async () => {
    const result = await build({
      stdin: { contents: entry, resolveDir: REPO_ROOT, loader: 'ts', sourcefile: 'entry.ts' },
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      metafile: true,
      logLevel: 'silent',
      plugins: [forbidLocalCloud(), preferEsModules()],
    });
    const yamlFiles = Object.keys(result.metafile.inputs).filter((file) => file.includes('node_modules/yaml/'));
    expect(yamlFiles.length).toBeGreaterThan(0);
    expect(yamlFiles.filter((file) => !file.startsWith('node_modules/yaml/browser/'))).toEqual([]);
    // No CommonJS wrapper left for yaml: its modules are scope-hoisted, so unused ones can be dropped.
    expect(result.outputFiles[0]?.text).not.toContain('node_modules/yaml/dist/');
    const bundled = (await import(`data:text/javascript;base64,${Buffer.from(result.outputFiles[0]?.text ?? '').toString('base64')}`)) as { parsed: unknown };
    expect(bundled.parsed).toEqual({ a: [1, 2] });
  });
});

describe('esbuild plugin: lambdaCredentialsFromEnv', () => {
  const entry = "import { DynamoDBClient } from '@aws-sdk/client-dynamodb'; export const client = new DynamoDBClient({});";
  const inputsWith = async (plugins: import('esbuild').Plugin[]) => Object.keys((await sdkBundle(entry, plugins)).metafile.inputs);
  const chain = (files: string[]) =>
    files.filter((file) => /@aws-sdk\/(credential-provider-(node|ini|sso|process|web-identity|http)|nested-clients)\//.test(file));

  it('bundles the environment credentials in place of the default chain (which the build has without it)', async () => {
    expect(chain(await inputsWith([forbidLocalCloud()]))).not.toEqual([]);
    const files = await inputsWith([forbidLocalCloud(), lambdaCredentialsFromEnv()]);
    expect(chain(files)).toEqual([]);
    expect(files).toContain('src/aws/lambda-credentials.ts');
  });

  it('answers with the credentials Lambda puts in the environment, and refuses clearly without them', async () => {
    const { defaultProvider } = await import('../../src/aws/lambda-credentials.js');
    const saved = { ...process.env };
    try {
      Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret-example', AWS_SESSION_TOKEN: 'session-example' });
      await expect(defaultProvider()()).resolves.toMatchObject({
        accessKeyId: 'ASIAEXAMPLE',
        secretAccessKey: 'secret-example',
        sessionToken: 'session-example',
      });
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
      await expect(defaultProvider()()).rejects.toThrow(/environment/i);
    } finally {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });
});

describe('network guard (preloaded into packaging and bundle imports)', () => {
  async function runGuarded(code: string): Promise<string[]> {
    const work = await mkdtemp(join(tmpdir(), 'stepcd-guard-'));
    const log = join(work, 'network.log');
    await writeFile(log, '');
    const script = join(work, 'probe.mjs');
    await writeFile(script, code);
    await run(process.execPath, [script], { env: offlineEnv(work, log), timeout: 30_000 });
    return readNetworkLog(log);
  }

  it('records and refuses a connection beyond loopback, and a DNS lookup', async () => {
    const attempts = await runGuarded(`
      import net from 'node:net';
      import dns from 'node:dns';
      await new Promise((resolve) => net.connect(443, '192.0.2.1').on('error', resolve));
      await new Promise((resolve) => dns.lookup('sts.amazonaws.com', resolve));
    `);
    expect(attempts.map((a) => a.replace(/^\d+ /, ''))).toEqual(['connect 192.0.2.1:443', 'lookup sts.amazonaws.com']);
  });

  it('lets loopback through for local stand-ins', async () => {
    const attempts = await runGuarded(`
      import net from 'node:net';
      const server = net.createServer((s) => s.end()).listen(0, '127.0.0.1');
      await new Promise((r) => server.on('listening', r));
      await new Promise((resolve, reject) => net.connect(server.address().port, '127.0.0.1').on('connect', resolve).on('error', reject));
      server.close();
      process.exit(0);
    `);
    expect(attempts).toEqual([]);
  });
});
