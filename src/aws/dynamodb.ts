import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsClientConfig } from './client-config.js';

/**
 * The document client every history reader and writer shares. `removeUndefinedValues` lets records
 * carry optional fields as `undefined` (e.g. `reason`, `endedAt`) without each caller pruning them.
 */
export function createDocumentClient(config: AwsClientConfig): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient(config), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
