import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { ConfigError } from '../src/errors.js';

export const SERVERLESS_FILE = fileURLToPath(new URL('../serverless.yml', import.meta.url));

/** Lambda's own default when neither the function nor the provider sets memorySize. */
const LAMBDA_DEFAULT_MB = 128;

interface ServerlessShape {
  provider?: { memorySize?: unknown };
  functions?: Record<string, { memorySize?: unknown } | null>;
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

export async function readFunctionMemoryMb(file = SERVERLESS_FILE): Promise<Record<string, number>> {
  return functionMemoryMb(await readFile(file, 'utf8'));
}

function memoryOf(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const mb = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(mb) || mb < 128) throw new ConfigError(`serverless.yml ${where} must be a whole number of MB ≥ 128, got ${JSON.stringify(value)}`);
  return mb;
}
