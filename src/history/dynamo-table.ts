import {
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type PutCommandInput,
  type QueryCommandInput,
  type ScanCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { wrapAwsError } from '../errors.js';
import type { Item } from './items.js';

export function isConditionFailed(err: unknown): boolean {
  return (err as { name?: string })?.name === 'ConditionalCheckFailedException';
}

type WithoutTable<T> = Omit<T, 'TableName'>;

/**
 * The history table's plumbing: every call names the table, wraps SDK errors with what was being
 * done, and reports a refused condition as `false` rather than as an error, because a refused
 * condition is how the once-only rules (final status, lock, approval close) say "not you".
 */
export class DynamoTable {
  constructor(
    readonly doc: DynamoDBDocumentClient,
    readonly name: string,
    private readonly now: () => Date,
  ) {}

  stamp(): string {
    return this.now().toISOString();
  }

  nowSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }

  async get(key: Record<string, string>, doing: string): Promise<Item | undefined> {
    try {
      const out = await this.doc.send(new GetCommand({ TableName: this.name, Key: key, ConsistentRead: true }));
      return out.Item;
    } catch (err) {
      throw wrapAwsError(doing, err);
    }
  }

  /** Returns false when the condition refused the write; every other failure is thrown, wrapped. */
  async put(input: WithoutTable<PutCommandInput>, doing: string): Promise<boolean> {
    try {
      await this.doc.send(new PutCommand({ ...input, TableName: this.name }));
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw wrapAwsError(doing, err);
    }
  }

  /** Returns false when the condition refused the write; every other failure is thrown, wrapped. */
  async update(input: WithoutTable<UpdateCommandInput>, doing: string): Promise<boolean> {
    try {
      await this.doc.send(new UpdateCommand({ ...input, TableName: this.name }));
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw wrapAwsError(doing, err);
    }
  }

  async query(input: WithoutTable<QueryCommandInput>, limit: number, doing: string): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Record<string, unknown> | undefined;
    try {
      do {
        const remaining = limit - items.length;
        const out = await this.doc.send(
          new QueryCommand({
            ...input,
            TableName: this.name,
            ExclusiveStartKey: startKey,
            Limit: Number.isFinite(remaining) ? remaining : undefined,
          }),
        );
        items.push(...(out.Items ?? []));
        startKey = out.LastEvaluatedKey;
      } while (startKey && items.length < limit);
    } catch (err) {
      throw wrapAwsError(doing, err);
    }
    return items;
  }

  /** Every item the filter keeps, all pages. A scan reads the whole table: only for small, rare listings. */
  async scan(input: WithoutTable<ScanCommandInput>, doing: string): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Record<string, unknown> | undefined;
    try {
      do {
        const out = await this.doc.send(new ScanCommand({ ...input, TableName: this.name, ExclusiveStartKey: startKey }));
        items.push(...(out.Items ?? []));
        startKey = out.LastEvaluatedKey;
      } while (startKey);
    } catch (err) {
      throw wrapAwsError(doing, err);
    }
    return items;
  }
}
