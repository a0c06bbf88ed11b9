import type { TriggerSettings } from '../domain/trigger-settings.js';

/** Port over the cached trigger settings of app configs, by git blob id (immutable; with TTL). */
export interface TriggerSettingsStore {
  /** The stored settings for the given blob ids; absent ids are not stored. Values are unchecked JSON. */
  getTriggerSettings(blobIds: readonly string[]): Promise<Map<string, unknown>>;
  /** Stores settings by blob id; overwriting is harmless (same id, same content, same settings). */
  putTriggerSettings(entries: ReadonlyMap<string, TriggerSettings>): Promise<void>;
}
