import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Files outside src/aws that may still import an AWS SDK package at runtime, each with why.
 * src/local is the emulator (it may use anything) and is not scanned.
 */
const ALLOWED: Record<string, string> = {
  // The history store is itself the DynamoDB adapter behind the HistoryStore port (ARCHITECTURE §2
  // lists src/history); it is split into one module per item family over a shared table helper.
  'src/history/dynamo-store.ts': 'HistoryStore adapter over lib-dynamodb: deployment records',
  'src/history/dynamo-table.ts': 'HistoryStore adapter: the table plumbing (get/put/update/query)',
  'src/history/dynamo-approvals.ts': 'HistoryStore adapter: approval items',
  'src/history/dynamo-side-items.ts': 'HistoryStore adapter: delivery and trigger-settings items',
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return path.endsWith(join('src', 'local')) || path.endsWith(join('src', 'aws')) ? [] : sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** `import … from '@aws-sdk/…'` that survives compilation (an `import type` is erased). */
function runtimeSdkImports(source: string): string[] {
  return [...source.matchAll(/^import\s+(?!type\s)[^;]*?from\s+'(@aws-sdk\/[^']+)'/gms)].map((m) => m[1] as string);
}

describe('SDK boundary (ARCHITECTURE §2: SDK calls live in src/aws adapters)', () => {
  it('finds runtime SDK imports and ignores type-only ones (the check can fail)', () => {
    expect(runtimeSdkImports("import { ECSClient } from '@aws-sdk/client-ecs';")).toEqual(['@aws-sdk/client-ecs']);
    expect(runtimeSdkImports("import {\n  InvokeCommand,\n  type LambdaClient,\n} from '@aws-sdk/client-lambda';")).toEqual(['@aws-sdk/client-lambda']);
    expect(runtimeSdkImports("import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';")).toEqual([]);
  });

  it('keeps every runtime SDK import of production code in src/aws, src/local or a listed exception', () => {
    const offenders = [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'functions'))]
      .map((file) => relative(ROOT, file))
      .filter((file) => !(file in ALLOWED))
      .filter((file) => runtimeSdkImports(readFileSync(join(ROOT, file), 'utf8')).length > 0);
    expect(offenders).toEqual([]);
  });
});
