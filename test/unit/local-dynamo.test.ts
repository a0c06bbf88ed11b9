import { describe, expect, it } from 'vitest';
import { DynamoDBClient, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { startLocalDynamo } from '../../src/local/dynamo.js';
import { localClientConfig } from '../../src/aws/client-config.js';

describe('startLocalDynamo', () => {
  it('serves the history table with both GSIs on a loopback port', async () => {
    const dynamo = await startLocalDynamo();
    try {
      const client = new DynamoDBClient(localClientConfig(dynamo.url));
      const table = await client.send(new DescribeTableCommand({ TableName: dynamo.tableName }));
      expect(dynamo.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(table.Table?.GlobalSecondaryIndexes?.map((g) => g.IndexName).sort()).toEqual(['GSI1', 'GSI2']);
      client.destroy();
    } finally {
      await dynamo.stop();
    }
  });
});
