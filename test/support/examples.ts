import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDirFiles, type ManifestFiles } from '../../src/manifest/index.js';

/** The repository's examples/ directory: what `stepcd local` and the README deploy. */
const EXAMPLES_ROOT = fileURLToPath(new URL('../../examples', import.meta.url));
/** examples/apps, one directory per example app. */
export const EXAMPLES_DIR = join(EXAMPLES_ROOT, 'apps');

/** The files an example app may have: each uses either YAML or JSON for a definition, not both. */
const APP_FILES = ['app.pipecd.yaml', 'servicedef.yaml', 'taskdef.yaml', 'taskdef.json', 'servicedef.json'];

/**
 * The files of the given example apps, as `<prefix><name>/<file>` → content, for one commit
 * (`apps/` by default, where the local stack's repo holds them).
 */
export async function exampleFiles(apps: string[], opts: { prefix?: string } = {}): Promise<Record<string, string>> {
  const prefix = opts.prefix ?? 'apps/';
  const files: Record<string, string> = {};
  for (const app of apps) {
    for (const name of APP_FILES) {
      const text = await readFile(join(EXAMPLES_DIR, app, name), 'utf8').catch(() => undefined);
      if (text !== undefined) files[`${prefix}${app}/${name}`] = text;
    }
  }
  return files;
}

/** The examples directory as a manifest source, its apps at `apps/<name>/app.pipecd.yaml`. */
export function exampleManifests(): ManifestFiles {
  return createDirFiles(EXAMPLES_ROOT);
}
