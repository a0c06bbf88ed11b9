import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { ConfigError } from '../src/errors.js';

export const SERVERLESS_FILE = fileURLToPath(new URL('../serverless.yml', import.meta.url));

/** Lambda's own default when neither the function nor the provider sets memorySize. */
const LAMBDA_DEFAULT_MB = 128;

interface ServerlessShape {
  provider?: { memorySize?: unknown };
  functions?: Record<string, { memorySize?: unknown; handler?: unknown } | null>;
  custom?: { esbuild?: Record<string, unknown> };
}

/** The build options serverless-esbuild takes from `custom.esbuild`, as esbuild's JS API spells them. */
export interface BundleSettings {
  minify: boolean;
  sourcemap: boolean;
  platform: 'node';
  target: string;
  format: 'esm' | 'cjs';
  outExtension: string;
  /** package.json fields esbuild resolves a package by, in order (esbuild's default for node is main, module). */
  mainFields?: string[];
  banner?: string;
  /** Path of the plugins module, relative to serverless.yml. */
  plugins?: string;
}

/** `functions/<name>/handler.handler` → `functions/<name>/handler.ts`, per function. */
export function functionEntries(serverlessYml: string): Record<string, string> {
  const doc = parse(serverlessYml, { logLevel: 'silent' }) as ServerlessShape | null;
  const out: Record<string, string> = {};
  for (const [name, fn] of Object.entries(doc?.functions ?? {})) {
    const handler = fn?.handler;
    if (typeof handler !== 'string' || !handler.includes('.')) throw new ConfigError(`serverless.yml functions.${name}.handler must be <file>.<export>`);
    out[name] = `${handler.slice(0, handler.lastIndexOf('.'))}.ts`;
  }
  return out;
}

/** serverless.yml's `custom.esbuild`, so the bench bundles exactly as a deploy does. */
export function bundleSettings(serverlessYml: string): BundleSettings {
  const doc = parse(serverlessYml, { logLevel: 'silent' }) as ServerlessShape | null;
  const e = doc?.custom?.esbuild;
  if (!e) throw new ConfigError('serverless.yml has no custom.esbuild section');
  const banner = (e.banner as { js?: unknown } | undefined)?.js;
  return {
    minify: e.minify === true,
    sourcemap: e.sourcemap === true,
    platform: 'node',
    target: String(e.target ?? 'node20'),
    format: e.format === 'esm' ? 'esm' : 'cjs',
    outExtension: String(e.outputFileExtension ?? '.js'),
    ...(typeof banner === 'string' ? { banner } : {}),
    ...(typeof e.plugins === 'string' ? { plugins: e.plugins } : {}),
    ...(Array.isArray(e.mainFields) ? { mainFields: e.mainFields.map(String) } : {}),
  };
}

/**
 * Memory (MB) per function as deployed: the function's `memorySize`, else the provider's, else
 * Lambda's default. CloudFormation tags (`!Sub`, `!GetAtt`) are left unresolved; memory never uses them.
 */
export function functionMemoryMb(serverlessYml: string): Record<string, number> {
  const doc = parse(serverlessYml, { logLevel: 'silent' }) as ServerlessShape | null;
  const fallback = memoryOf(doc?.provider?.memorySize, 'provider.memorySize') ?? LAMBDA_DEFAULT_MB;
  const out: Record<string, number> = {};
  for (const [name, fn] of Object.entries(doc?.functions ?? {})) {
    out[name] = memoryOf(fn?.memorySize, `functions.${name}.memorySize`) ?? fallback;
  }
  if (Object.keys(out).length === 0) throw new ConfigError('serverless.yml declares no functions');
  return out;
}

export async function readServerlessYml(file = SERVERLESS_FILE): Promise<string> {
  return readFile(file, 'utf8');
}

function memoryOf(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const mb = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(mb) || mb < 128) throw new ConfigError(`serverless.yml ${where} must be a whole number of MB ≥ 128, got ${JSON.stringify(value)}`);
  return mb;
}
