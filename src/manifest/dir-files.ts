import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ManifestFiles } from './types.js';

/** Manifest files from a directory on disk (a checkout, or `examples/`). */
export function createDirFiles(rootDir: string): ManifestFiles {
  return {
    async readFile(path: string): Promise<string | undefined> {
      try {
        return await readFile(join(rootDir, ...path.split('/')), 'utf8');
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return undefined;
        throw err;
      }
    },
  };
}
