import type {
  BatchGetCommandInput,
  BatchGetCommandOutput,
  GetCommandInput,
  GetCommandOutput,
  PutCommandInput,
  PutCommandOutput,
  QueryCommandInput,
  QueryCommandOutput,
  ScanCommandInput,
  ScanCommandOutput,
  UpdateCommandInput,
  UpdateCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall, type NativeAttributeValue } from '@aws-sdk/util-dynamodb';
import type { AwsClientConfig } from './client-config.js';
import { jsonRpcClient, type JsonRpcClient } from './json-rpc.js';

type Reply<T> = Omit<T, '$metadata'>;

/** The DynamoDB operations stepcd calls, in the document client's shapes (plain values, not AttributeValues). */
export type DocumentOperations = {
  GetItem: [GetCommandInput, Reply<GetCommandOutput>];
  BatchGetItem: [BatchGetCommandInput, Reply<BatchGetCommandOutput>];
  PutItem: [PutCommandInput, Reply<PutCommandOutput>];
  UpdateItem: [UpdateCommandInput, Reply<UpdateCommandOutput>];
  Query: [QueryCommandInput, Reply<QueryCommandOutput>];
  Scan: [ScanCommandInput, Reply<ScanCommandOutput>];
};

/**
 * The history table's client: each operation is one signed awsJson1_0 request, its values converted
 * as lib-dynamodb's document client converts them (util-dynamodb's marshall, undefined values
 * dropped). The generated DynamoDB client carried every operation's schema and the SDK's middleware
 * into each function's cold start for the six calls stepcd makes (about 160 KB of the smallest
 * bundle). A failed call throws as callJsonRpc does: the message starts with `doing`, the cause is
 * AWS's error code (`ConditionalCheckFailedException`).
 */
export type DocumentClient = JsonRpcClient<DocumentOperations>;

type Values = Record<string, NativeAttributeValue>;
const MARSHALL = { removeUndefinedValues: true } as const;
const toWire = (values: Values | undefined) => (values ? marshall(values, MARSHALL) : undefined);
const fromWire = (item: Record<string, unknown> | undefined) => (item ? unmarshall(item as Parameters<typeof unmarshall>[0]) : undefined);

/** The fields of a request that hold values (keys, items, expression values), in wire form. */
function requestToWire(input: Record<string, unknown>): Record<string, unknown> {
  const wire: Record<string, unknown> = { ...input };
  for (const field of ['Key', 'Item', 'ExpressionAttributeValues', 'ExclusiveStartKey'] as const) {
    if (input[field] !== undefined) wire[field] = toWire(input[field] as Values);
  }
  const requests = input.RequestItems as Record<string, { Keys: Values[] }> | undefined;
  if (requests) {
    wire.RequestItems = Object.fromEntries(Object.entries(requests).map(([table, r]) => [table, { ...r, Keys: r.Keys.map(toWire) }]));
  }
  return wire;
}

/** The fields of a reply that hold items, as plain values. */
function replyFromWire(reply: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...reply };
  for (const field of ['Item', 'Attributes', 'LastEvaluatedKey'] as const) {
    if (reply[field] !== undefined) out[field] = fromWire(reply[field] as Record<string, unknown>);
  }
  if (Array.isArray(reply.Items)) out.Items = reply.Items.map(fromWire);
  const responses = reply.Responses as Record<string, Record<string, unknown>[]> | undefined;
  if (responses) out.Responses = Object.fromEntries(Object.entries(responses).map(([table, items]) => [table, items.map(fromWire)]));
  const unprocessed = reply.UnprocessedKeys as Record<string, { Keys: Record<string, unknown>[] }> | undefined;
  if (unprocessed) {
    out.UnprocessedKeys = Object.fromEntries(Object.entries(unprocessed).map(([table, r]) => [table, { ...r, Keys: r.Keys.map(fromWire) }]));
  }
  return out;
}

export function createDocumentClient(config: AwsClientConfig): DocumentClient {
  return jsonRpcClient({ service: 'dynamodb', targetPrefix: 'DynamoDB_20120810', protocol: '1.0', toWire: requestToWire, fromWire: replyFromWire }, config);
}
