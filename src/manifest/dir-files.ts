import { open, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { checkManifestSize, decodeManifestBytes, pathOutside, symlinkOutside } from './refusal.js';
import { resolveInApp } from './paths.js';
import type { ManifestFiles } from './types.js';

/**
 * Manifest files from a directory on disk (a checkout, or `examples/`). Symlinks that stay inside the
 * directory are followed, as GitHub's contents API does; one that leaves it is refused without opening
 * its target, so `stepcd validate` on an untrusted branch cannot print the CI runner's files.
 */
export function createDirFiles(rootDir: string): ManifestFiles {
  let root: Promise<string> | undefined;
  return {
    async readFile(path: string): Promise<string | undefined> {
      const inside = resolveInApp('', path);
      if (inside === undefined) throw pathOutside(path);
      root ??= realpath(rootDir);
      let real: string;
      try {
        real = await realpath(join(rootDir, ...inside.split('/')));
      } catch (err) {
        if (isMissing(err)) return undefined;
        throw err;
      }
      const fromRoot = relative(await root, real);
      if (fromRoot.split(sep)[0] === '..' || isAbsolute(fromRoot)) throw symlinkOutside(path);
      let handle;
      try {
        handle = await open(real, 'r');
      } catch (err) {
        if (isMissing(err)) return undefined;
        throw err;
      }
      try {
        const stat = await handle.stat();
        if (!stat.isFile()) return undefined;
        checkManifestSize(path, stat.size);
        return decodeManifestBytes(path, await handle.readFile());
      } finally {
        await handle.close();
      }
    },
  };
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}
