import { parse } from 'yaml';
import { findAppConfigs } from '../gitops/affected-apps.js';
import type { ManifestSource } from '../gitops/manifest-source.js';

/**
 * The `spec.name` of every app config at `sha`: the apps `stepcd local`'s dashboard lists. A config
 * that does not parse, or has no name, is left out: the dashboard shows history, and `stepcd
 * validate` is where broken manifests are reported.
 */
export async function appNamesAt(source: ManifestSource, sha: string): Promise<string[]> {
  const configs = findAppConfigs(await source.listFiles(sha));
  const names = await Promise.all(configs.map(async (path) => specName(await source.readFile(sha, path))));
  return names.filter((n): n is string => n !== undefined);
}

function specName(text: string | undefined): string | undefined {
  try {
    const name = (parse(text ?? '') as { spec?: { name?: unknown } } | null)?.spec?.name;
    return typeof name === 'string' && name.length > 0 ? name : undefined;
  } catch {
    return undefined;
  }
}
