import type { TriggerSettings } from '../../domain/trigger-settings.js';
import type { TriggerSettingsStore } from '../../history/trigger-settings-store.js';
import type { DynamoTable } from './dynamo-table.js';
import { TABLE_KEYS } from './table.js';

const TRIGGER_BATCH_GET = 100;
const TRIGGER_PUTS_IN_FLIGHT = 10;
/** Entries never go stale (the key hashes the content); the TTL only drops configs nobody uses any more. */
const TRIGGER_SETTINGS_TTL_SECONDS = 30 * 24 * 60 * 60;
const triggerSettingsKey = (blobId: string) => ({ PK: `TRIGGER#${blobId}`, SK: 'TRIGGER' });

/** `TRIGGER#<blob id>`: an app config's trigger settings, cached by content. */
export class DynamoTriggerSettingsStore implements TriggerSettingsStore {
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
      const out = await this.table.doc.send(
        'BatchGetItem',
        { RequestItems: { [this.table.name]: { Keys: chunk.map(triggerSettingsKey) } } },
        `reading ${chunk.length} cached trigger settings`,
      );
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
