import { ConditionalWriteConflictError } from '../../errors.js';
import type { DeliveryStore } from '../../history/delivery-store.js';
import type { DynamoTable } from './dynamo-table.js';
import { DELIVERY_TTL_SECONDS, deliveryKey } from './items.js';
import { TABLE_KEYS } from './table.js';

/** `DELIVERY#<id>`: GitHub deliveries already handled, kept for a few days. */
export class DynamoDeliveryStore implements DeliveryStore {
  constructor(private readonly table: DynamoTable) {}

  /**
   * First writer wins; a later one gets the ids the refused write found. DynamoDB deletes expired
   * items lazily (up to days late), so an item past its `ttl` is treated as absent rather than as a
   * duplicate.
   */
  async claimDelivery(deliveryId: string, deploymentIds: string[]): Promise<string[] | undefined> {
    const nowSeconds = this.table.nowSeconds();
    try {
      await this.table.put(
        {
          Item: {
            ...deliveryKey(deliveryId),
            kind: 'DELIVERY',
            deliveryId,
            deploymentIds,
            createdAt: this.table.stamp(),
            [TABLE_KEYS.ttl]: nowSeconds + DELIVERY_TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(PK) OR #ttl < :now',
          ExpressionAttributeNames: { '#ttl': TABLE_KEYS.ttl },
          ExpressionAttributeValues: { ':now': nowSeconds },
        },
        `recording webhook delivery ${deliveryId}`,
      );
      return undefined;
    } catch (err) {
      if (!(err instanceof ConditionalWriteConflictError)) throw err;
      return (err.current?.deploymentIds as string[] | undefined) ?? [];
    }
  }
}
