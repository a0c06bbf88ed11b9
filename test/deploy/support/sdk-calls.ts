import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The SDK v3 operations a source file sends: every `new <Op>Command(`. */
export function commandsSentBy(source: string): Set<string> {
  return new Set([...source.matchAll(/new\s+([A-Z][A-Za-z0-9]*)Command\s*\(/g)].map((m) => m[1] as string));
}

export function iamActions(prefix: string, operations: Iterable<string>): string[] {
  return [...operations].map((op) => `${prefix}:${op}`).sort();
}

/** lib-dynamodb's document commands send these DynamoDB operations. */
const DOCUMENT_COMMAND_OPERATIONS: Record<string, string> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  Query: 'Query',
  Scan: 'Scan',
  BatchGet: 'BatchGetItem',
  BatchWrite: 'BatchWriteItem',
  TransactGet: 'TransactGetItems',
  TransactWrite: 'TransactWriteItems',
};

/**
 * DynamoDB actions production code needs: the operations the history table's client is sent
 * (`doc.send('<Operation>', …)`, src/aws/dynamodb.ts), plus any SDK command sent from a file that
 * imports a DynamoDB SDK client, outside the local cloud (src/local never runs in a Lambda).
 */
export function dynamoActionsUsedBy(repoRoot: string): string[] {
  const actions = new Set<string>();
  for (const file of productionSources(repoRoot)) {
    const source = readFileSync(file, 'utf8');
    for (const m of source.matchAll(/\bdoc\.send\(\s*'([A-Za-z]+)'/g)) actions.add(`dynamodb:${m[1]}`);
    if (!/@aws-sdk\/(lib-dynamodb|client-dynamodb)/.test(source)) continue;
    for (const op of commandsSentBy(source)) actions.add(`dynamodb:${DOCUMENT_COMMAND_OPERATIONS[op] ?? op}`);
  }
  return [...actions].sort();
}

function productionSources(repoRoot: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (relative(repoRoot, path) !== join('src', 'local')) walk(path);
      } else if (name.endsWith('.ts')) out.push(path);
    }
  };
  walk(join(repoRoot, 'src'));
  walk(join(repoRoot, 'functions'));
  return out;
}
