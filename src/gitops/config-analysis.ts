import { isAppConfigPath } from '../manifest/paths.js';
import { appTriggerOf, type AppTrigger } from './affected-apps.js';
import type { TreeFile } from './manifest-source.js';
import type { TriggerSettings } from '../domain/trigger-settings.js';

/** Pure: the app config files at the pushed sha, from the one recursive tree listing, by path. */
export function findAppConfigFiles(tree: readonly TreeFile[]): TreeFile[] {
  return tree.filter((f) => isAppConfigPath(f.path)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export interface CacheSplit {
  /** Configs whose settings the cache holds: decided from the tree and the changed paths alone. */
  known: AppTrigger[];
  /** Configs that must be read (new or changed content, or never seen by this cache). */
  missing: TreeFile[];
}

/**
 * Pure. A config whose blob id is cached needs no read, whatever the push changed: its trigger
 * paths and ignores (inside or outside its directory) come from the cached settings, and a changed
 * config has a new blob id, so it is always a miss and always re-read.
 */
export function splitByCache(configs: readonly TreeFile[], cached: ReadonlyMap<string, TriggerSettings>): CacheSplit {
  const known: AppTrigger[] = [];
  const missing: TreeFile[] = [];
  for (const config of configs) {
    const settings = cached.get(config.id);
    if (settings) known.push(appTriggerOf(config.path, settings));
    else missing.push(config);
  }
  return { known, missing };
}
