import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** Every .ts file under `dir`, as a path relative to the repository root. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') ? [relative(ROOT, path)] : [];
  });
}

/** src/aws holds the adapters; src/local is the emulator (it may use anything). */
const mayImportSdk = (file: string) => file.startsWith(join('src', 'aws') + sep) || file.startsWith(join('src', 'local') + sep);

/** `import … from '@aws-sdk/…'` that survives compilation (an `import type` is erased). */
function runtimeSdkImports(source: string): string[] {
  return [...source.matchAll(/^import\s+(?!type\s)[^;]*?from\s+'(@aws-sdk\/[^']+)'/gms)].map((m) => m[1] as string);
}

const hasRuntimeSdkImport = (file: string) => runtimeSdkImports(readFileSync(join(ROOT, file), 'utf8')).length > 0;

describe('SDK boundary (ARCHITECTURE §2: SDK calls live in src/aws adapters)', () => {
  it('finds runtime SDK imports and ignores type-only ones (the check can fail)', () => {
    expect(runtimeSdkImports("import { ECSClient } from '@aws-sdk/client-ecs';")).toEqual(['@aws-sdk/client-ecs']);
    expect(runtimeSdkImports("import {\n  InvokeCommand,\n  type LambdaClient,\n} from '@aws-sdk/client-lambda';")).toEqual(['@aws-sdk/client-lambda']);
    expect(runtimeSdkImports("import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';")).toEqual([]);
  });

  it('sees the adapters the scan leaves out, so it reads the real tree', () => {
    const adapters = sources(join(ROOT, 'src')).filter(mayImportSdk).filter(hasRuntimeSdkImport);
    expect(adapters).toContain(join('src', 'aws', 'dynamodb.ts'));
    expect(adapters).toContain(join('src', 'aws', 'ecs.ts'));
  });

  it('keeps every runtime SDK import of production code in src/aws or src/local, with no exception', () => {
    const offenders = [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'functions'))].filter((file) => !mayImportSdk(file)).filter(hasRuntimeSdkImport);
    expect(offenders).toEqual([]);
  });
});
