import type { StepcdLogger } from '../logging.js';
import type { TriggerSettings } from '../domain/trigger-settings.js';
import type { TriggerSettingsStore } from '../history/trigger-settings-store.js';
import { isTriggerSettings } from './trigger-settings.js';

/**
 * Parsed trigger settings keyed by the config's git blob id. A blob id is a hash of the content, so
 * an entry never goes stale: a changed config has a new id and is simply a miss.
 */
export interface TriggerSettingsCache {
  /** The entries found; absent ids are misses. */
  getMany(blobIds: readonly string[]): Promise<Map<string, TriggerSettings>>;
  putMany(entries: ReadonlyMap<string, TriggerSettings>): Promise<void>;
}

/** Entries one warm container keeps: about 200 bytes each, so a few MB for several big monorepos. */
export const DEFAULT_LRU_ENTRIES = 20_000;

/** In-memory, least recently used first out; one per warm container. */
export class LruTriggerCache implements TriggerSettingsCache {
  private readonly entries = new Map<string, TriggerSettings>();

  constructor(private readonly capacity = DEFAULT_LRU_ENTRIES) {}

  async getMany(blobIds: readonly string[]): Promise<Map<string, TriggerSettings>> {
    const found = new Map<string, TriggerSettings>();
    for (const id of blobIds) {
      const hit = this.entries.get(id);
      if (!hit) continue;
      // Map keeps insertion order: re-inserting marks the entry most recently used.
      this.entries.delete(id);
      this.entries.set(id, hit);
      found.set(id, hit);
    }
    return found;
  }

  async putMany(entries: ReadonlyMap<string, TriggerSettings>): Promise<void> {
    for (const [id, settings] of entries) {
      this.entries.delete(id);
      this.entries.set(id, settings);
    }
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.capacity) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * Memory in front of the history table, so a cold container (or the continuation of a deferred push)
 * starts warm. The table is only an optimisation: when it fails, the configs are read from the
 * source instead and the failure is logged, never thrown at the push.
 */
export class TieredTriggerCache implements TriggerSettingsCache {
  constructor(
    private readonly memory: TriggerSettingsCache,
    private readonly store: TriggerSettingsStore,
    private readonly logger: StepcdLogger,
  ) {}

  async getMany(blobIds: readonly string[]): Promise<Map<string, TriggerSettings>> {
    const found = await this.memory.getMany(blobIds);
    const missing = blobIds.filter((id) => !found.has(id));
    if (missing.length === 0) return found;
    let stored: Map<string, unknown>;
    try {
      stored = await this.store.getTriggerSettings(missing);
    } catch (err) {
      this.logger.warn('trigger settings cache unavailable; reading the configs instead', { error: err as Error, missing: missing.length });
      return found;
    }
    const valid = new Map<string, TriggerSettings>();
    for (const [id, value] of stored) if (isTriggerSettings(value)) valid.set(id, value);
    await this.memory.putMany(valid);
    for (const [id, settings] of valid) found.set(id, settings);
    return found;
  }

  async putMany(entries: ReadonlyMap<string, TriggerSettings>): Promise<void> {
    await this.memory.putMany(entries);
    if (entries.size === 0) return;
    try {
      await this.store.putTriggerSettings(entries);
    } catch (err) {
      this.logger.warn('could not store trigger settings; the next cold start reads these configs again', { error: err as Error, entries: entries.size });
    }
  }
}

/**
 * The container-wide memory tier used when deps name no cache. Sharing it across repositories and
 * handlers is safe: an entry is a pure function of the content its key hashes.
 */
export const containerTriggerCache: TriggerSettingsCache = new LruTriggerCache();
