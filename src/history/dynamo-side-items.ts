import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { wrapAwsError } from '../errors.js';
import type { TriggerSettings } from '../gitops/trigger-settings.js';
import type { DynamoTable } from './dynamo-table.js';
import { DELIVERY_TTL_SECONDS, deliveryKey } from './items.js';
import { TABLE_KEYS } from './table.js';

/** `DELIVERY#<id>`: GitHub deliveries already handled, kept for a few days. */
export class DeliveryItems {
  constructor(private readonly table: DynamoTable) {}

  /**
   * First writer wins. DynamoDB deletes expired items lazily (up to days late), so an item past its
   * `ttl` is treated as absent rather than as a duplicate.
   */
  async claimDelivery(deliveryId: string, deploymentIds: string[]): Promise<string[] | undefined> {
    const nowSeconds = this.table.nowSeconds();
    const doing = `recording webhook delivery ${deliveryId}`;
    const claimed = await this.table.put(
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
      doing,
    );
    if (claimed) return undefined;
    const existing = await this.table.get(deliveryKey(deliveryId), doing);
    return (existing?.deploymentIds as string[] | undefined) ?? [];
  }
}

const TRIGGER_BATCH_GET = 100;
const TRIGGER_PUTS_IN_FLIGHT = 10;
/** Entries never go stale (the key hashes the content); the TTL only drops configs nobody uses any more. */
const TRIGGER_SETTINGS_TTL_SECONDS = 30 * 24 * 60 * 60;
const triggerSettingsKey = (blobId: string) => ({ PK: `TRIGGER#${blobId}`, SK: 'TRIGGER' });

/** `TRIGGER#<blob id>`: an app config's trigger settings, cached by content. */
export class TriggerSettingsItems {
  constructor(private readonly table: DynamoTable) {}

  /**
   * BatchGetItem in chunks of 100 (its limit). Keys DynamoDB leaves unprocessed (throttling) are
   * simply misses: the caller reads those configs instead, which is always correct.
   */
  async getTriggerSettings(blobIds: readonly string[]): Promise<Map<string, unknown>> {
    const found = new Map<string, unknown>();
    const unique = [...new Set(blobIds)];
    for (let i = 0; i < unique.length; i += TRIGGER_BATCH_GET) {
      const chunk = unique.slice(i, i + TRIGGER_BATCH_GET);
      let out;
      try {
        out = await this.table.doc.send(new BatchGetCommand({ RequestItems: { [this.table.name]: { Keys: chunk.map(triggerSettingsKey) } } }));
      } catch (err) {
        throw wrapAwsError(`reading ${chunk.length} cached trigger settings`, err);
      }
      for (const item of out.Responses?.[this.table.name] ?? []) {
        if (typeof item.blobId === 'string') found.set(item.blobId, item.settings);
      }
    }
    return found;
  }

  /** One PutItem per entry, a few at a time: entries are written once per new config content. */
  async putTriggerSettings(entries: ReadonlyMap<string, TriggerSettings>): Promise<void> {
    const expires = this.table.nowSeconds() + TRIGGER_SETTINGS_TTL_SECONDS;
    const items = [...entries];
    for (let i = 0; i < items.length; i += TRIGGER_PUTS_IN_FLIGHT) {
      await Promise.all(
        items.slice(i, i + TRIGGER_PUTS_IN_FLIGHT).map(([blobId, settings]) =>
          this.table.put(
            {
              Item: { ...triggerSettingsKey(blobId), kind: 'TRIGGER_SETTINGS', blobId, settings, [TABLE_KEYS.ttl]: expires },
            },
            `caching the trigger settings of blob ${blobId}`,
          ),
        ),
      );
    }
  }
}
