import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The one history table (ARCHITECTURE §6). serverless.yml declares the same keys; a test keeps the
 * two in step.
 *
 *   Deployment   PK=DEP#<id>        SK=DEPLOYMENT        GSI1PK=APP#<app>  GSI1SK=<createdAt>#<id>
 *   Approval     PK=DEP#<id>        SK=APPROVAL#<index>
 *   App state    PK=APP#<app>       SK=STATE
 *   Delivery     PK=DELIVERY#<id>   SK=DELIVERY          ttl=<epoch seconds>
 *   Stage wait   PK=DEP#<id>        SK=WAIT              ttl   (the open task token of a stability/ANALYSIS wait)
 *   Waiter       PK=WAIT#<key>      SK=DEP#<id>          ttl   (key: ecs-service:, ecs-task:, alarm:)
 *   Active       GSI2PK=ACTIVE      GSI2SK=<createdAt>#<id>   (sparse: only while not final)
 */
export const TABLE_KEYS = {
  pk: 'PK',
  sk: 'SK',
  byAppIndex: 'GSI1',
  activeIndex: 'GSI2',
  ttl: 'ttl',
} as const;

export function historyTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'PK', AttributeType: 'S' },
      { AttributeName: 'SK', AttributeType: 'S' },
      { AttributeName: 'GSI1PK', AttributeType: 'S' },
      { AttributeName: 'GSI1SK', AttributeType: 'S' },
      { AttributeName: 'GSI2PK', AttributeType: 'S' },
      { AttributeName: 'GSI2SK', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'PK', KeyType: 'HASH' },
      { AttributeName: 'SK', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'GSI1',
        KeySchema: [
          { AttributeName: 'GSI1PK', KeyType: 'HASH' },
          { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: 'GSI2',
        KeySchema: [
          { AttributeName: 'GSI2PK', KeyType: 'HASH' },
          { AttributeName: 'GSI2SK', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}
