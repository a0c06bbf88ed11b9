import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { NotFoundError, TransientError } from '../errors.js';
import type { ManifestSource, TreeFile } from './manifest-source.js';
import { ZERO_SHA } from './push-event.js';

const run = promisify(execFile);
const MAX_OUTPUT = 64 * 1024 * 1024;

/** ManifestSource over a git repository on disk (ARCHITECTURE §9), through the git CLI. */
export class LocalGitSource implements ManifestSource {
  constructor(private readonly repoDir: string) {}

  async listFiles(sha: string): Promise<string[]> {
    return splitZ(await this.git(['ls-tree', '-r', '--name-only', '-z', sha], `listing files at ${sha}`));
  }

  async listTree(sha: string): Promise<TreeFile[]> {
    // Each entry is `<mode> SP <type> SP <id> TAB <path>`; -z keeps unusual path characters verbatim.
    const entries = splitZ(await this.git(['ls-tree', '-r', '-z', sha], `listing the tree at ${sha}`));
    return entries.flatMap((entry) => {
      const tab = entry.indexOf('\t');
      const [, type, id] = entry.slice(0, tab).split(' ');
      return tab > 0 && type === 'blob' && id ? [{ path: entry.slice(tab + 1), id }] : [];
    });
  }

  async changedPaths(before: string, after: string): Promise<string[]> {
    // --no-renames: a rename must show its old path too, or a moved app dir looks untouched.
    const args =
      before === ZERO_SHA
        ? // A new ref: what the pushed commit itself changed (`--root` lists everything for a root commit).
          ['diff-tree', '-r', '--no-commit-id', '--name-only', '--no-renames', '--root', '-z', after]
        : ['diff', '--name-only', '--no-renames', '-z', before, after];
    return [...new Set(splitZ(await this.git(args, `diffing ${before}..${after}`)))].sort();
  }

  async readFile(sha: string, path: string): Promise<string | undefined> {
    try {
      return await this.git(['show', `${sha}:${path}`], `reading ${path} at ${sha}`);
    } catch (err) {
      const stderr = String((err as { cause?: { stderr?: string } }).cause?.stderr ?? '');
      if (/does not exist in|exists on disk, but not in/.test(stderr)) return undefined;
      throw err;
    }
  }

  private async git(args: string[], doing: string): Promise<string> {
    try {
      const { stdout } = await run('git', ['-C', this.repoDir, ...args], { maxBuffer: MAX_OUTPUT, encoding: 'utf8' });
      return stdout;
    } catch (err) {
      const stderr = String((err as { stderr?: string }).stderr ?? '').trim();
      if (/invalid object name|bad object|unknown revision|not a tree object|bad revision/i.test(stderr)) {
        throw new NotFoundError(`${doing}: ${stderr}`, { cause: err });
      }
      throw new TransientError(`${doing}: git ${args[0]} failed: ${stderr || (err as Error).message}`, { cause: err });
    }
  }
}

function splitZ(out: string): string[] {
  return out.split('\0').filter(Boolean);
}
