import type { PutCommandInput, QueryCommandInput, ScanCommandInput, UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { ConditionalWriteConflictError, ThrottledError } from '../../errors.js';
import type { DocumentClient } from '../dynamodb.js';
import { awsErrorCode } from '../json-rpc.js';
import type { Item, Key } from './items.js';

type WithoutTable<T> = Omit<T, 'TableName'>;

/** BatchGetItem takes at most 100 keys per call. */
export const BATCH_GET_MAX_KEYS = 100;

/** How often unprocessed keys are asked for again, and the first wait (doubled each time). */
export interface BatchGetRetry {
  attempts: number;
  baseDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_BATCH_GET_RETRY: BatchGetRetry = { attempts: 5, baseDelayMs: 50 };
const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function isConditionFailed(err: unknown): boolean {
  return awsErrorCode(err) === 'ConditionalCheckFailedException';
}

/**
 * Runs a conditional write and says whether it applied: false when its condition refused it, which
 * is how the once-only rules (final status, lock, approval close) say "not you".
 */
export async function applied(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (err) {
    if (err instanceof ConditionalWriteConflictError) return false;
    throw err;
  }
}

/**
 * The history table's plumbing: every call names the table, and its errors say what was being done.
 * A refused condition throws ConditionalWriteConflictError carrying the item as it stands.
 */
export class DynamoTable {
  constructor(
    readonly doc: DocumentClient,
    readonly name: string,
    private readonly now: () => Date,
  ) {}

  stamp(): string {
    return this.now().toISOString();
  }

  nowSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }

  async get(key: Key, doing: string): Promise<Item | undefined> {
    const out = await this.doc.send('GetItem', { TableName: this.name, Key: key, ConsistentRead: true }, doing);
    return out.Item;
  }

  /**
   * Consistent reads of many keys, 100 per BatchGetItem. DynamoDB may answer part of a batch and
   * hand the rest back as UnprocessedKeys (throttling, the 16 MB response cap): those are asked for
   * again with exponential backoff, as AWS advises, and still unprocessed after the last attempt they
   * throw ThrottledError (retryable) rather than read as missing. Items come back in no order.
   */
  async getMany(keys: readonly Key[], doing: string, retry: BatchGetRetry = DEFAULT_BATCH_GET_RETRY): Promise<Item[]> {
    const items: Item[] = [];
    for (let i = 0; i < keys.length; i += BATCH_GET_MAX_KEYS) {
      let pending: Record<string, unknown>[] = keys.slice(i, i + BATCH_GET_MAX_KEYS);
      for (let attempt = 1; pending.length > 0; attempt += 1) {
        if (attempt > retry.attempts) throw new ThrottledError(`${doing}: ${pending.length} key(s) still unprocessed after ${retry.attempts} attempts`);
        if (attempt > 1) await (retry.sleep ?? sleepFor)(retry.baseDelayMs * 2 ** (attempt - 2));
        const out = await this.doc.send('BatchGetItem', { RequestItems: { [this.name]: { Keys: pending, ConsistentRead: true } } }, doing);
        items.push(...(out.Responses?.[this.name] ?? []));
        pending = out.UnprocessedKeys?.[this.name]?.Keys ?? [];
      }
    }
    return items;
  }

  async put(input: WithoutTable<PutCommandInput>, doing: string): Promise<void> {
    try {
      await this.doc.send('PutItem', { ...input, TableName: this.name }, doing);
    } catch (err) {
      throw await this.conflictOr(err, { PK: String(input.Item?.PK), SK: String(input.Item?.SK) }, doing);
    }
  }

  /** The item after the update when `ReturnValues: 'ALL_NEW'` asks for it. */
  async update(input: WithoutTable<UpdateCommandInput> & { Key: Key }, doing: string): Promise<Item | undefined> {
    try {
      const out = await this.doc.send('UpdateItem', { ...input, TableName: this.name }, doing);
      return out.Attributes;
    } catch (err) {
      throw await this.conflictOr(err, input.Key, doing);
    }
  }

  /**
   * A conditional update that only says whether it applied: a refusal reads nothing back, so a
   * caller that never needs the refused item (a once-only close) needs no GetItem.
   */
  async updateIf(input: WithoutTable<UpdateCommandInput> & { Key: Key }, doing: string): Promise<boolean> {
    try {
      await this.doc.send('UpdateItem', { ...input, TableName: this.name }, doing);
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw err;
    }
  }

  async query(input: WithoutTable<QueryCommandInput>, limit: number, doing: string): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const remaining = limit - items.length;
      const out = await this.doc.send(
        'Query',
        { ...input, TableName: this.name, ExclusiveStartKey: startKey, Limit: Number.isFinite(remaining) ? remaining : undefined },
        doing,
      );
      items.push(...(out.Items ?? []));
      startKey = out.LastEvaluatedKey;
    } while (startKey && items.length < limit);
    return items;
  }

  /** Every item the filter keeps, all pages. A scan reads the whole table: only for small, rare listings. */
  async scan(input: WithoutTable<ScanCommandInput>, doing: string): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send('Scan', { ...input, TableName: this.name, ExclusiveStartKey: startKey }, doing);
      items.push(...(out.Items ?? []));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /**
   * AWS can return the refused item with the error (ReturnValuesOnConditionCheckFailure), but
   * dynalite 4 ignores that parameter and returns none, so the item is read right after the refusal
   * instead: one code path, the same locally and on AWS. The read is consistent but not atomic with
   * the write: `current` is the item as it stood just after the refusal.
   */
  private async conflictOr(err: unknown, key: Key, doing: string): Promise<Error> {
    if (!isConditionFailed(err)) return err as Error;
    const current = await this.get(key, `${doing} (reading the item its condition refused)`);
    return new ConditionalWriteConflictError(`${doing}: the condition refused the write`, current, { cause: err });
  }
}
