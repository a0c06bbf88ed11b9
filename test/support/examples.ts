import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDirFiles, type ManifestFiles } from '../../src/manifest/index.js';

/** The repository's examples/ directory: what `stepcd local` and the README deploy. */
const EXAMPLES_ROOT = fileURLToPath(new URL('../../examples', import.meta.url));
/** examples/apps, one directory per example app. */
export const EXAMPLES_DIR = join(EXAMPLES_ROOT, 'apps');

/**
 * Every file of the given example apps, as `<prefix><name>/<file>` → content, for one commit
 * (`apps/` by default, where the local stack's repo holds them). Tests and the bench share it.
 */
export async function exampleFiles(apps: string[], opts: { prefix?: string } = {}): Promise<Record<string, string>> {
  const prefix = opts.prefix ?? 'apps/';
  const files: Record<string, string> = {};
  for (const app of apps) {
    // Sorted, so a commit lists an app's files in the same order on every file system.
    for (const name of (await readdir(join(EXAMPLES_DIR, app))).sort()) {
      files[`${prefix}${app}/${name}`] = await readFile(join(EXAMPLES_DIR, app, name), 'utf8');
    }
  }
  return files;
}

/** The examples directory as a manifest source, its apps at `apps/<name>/app.pipecd.yaml`. */
export function exampleManifests(): ManifestFiles {
  return createDirFiles(EXAMPLES_ROOT);
}
