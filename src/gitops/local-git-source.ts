import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { NotFoundError, TransientError } from '../errors.js';
import { GitCatFileBatch } from './git-cat-file.js';
import type { ManifestSource, TreeFile } from './manifest-source.js';
import { ZERO_SHA } from './push-event.js';
import { MAX_SYMLINK_HOPS } from '../manifest/limits.js';
import { dirOf, resolveInApp } from '../manifest/paths.js';
import { checkManifestSize, decodeManifestBytes, RefusedFileError, symlinkOutside } from '../manifest/refusal.js';

const run = promisify(execFile);
const MAX_OUTPUT = 64 * 1024 * 1024;
const SYMLINK_MODE = '120000';

interface TreeEntry {
  mode: string;
  type: string;
  id: string;
  size: number;
}

/** Commits whose tree entries are kept: a push reads files of one commit, its neighbour is next. */
const ENTRY_CACHE_SIZE = 4;

/** ManifestSource over a git repository on disk (ARCHITECTURE §9), through the git CLI. */
export class LocalGitSource implements ManifestSource {
  private readonly entries = new Map<string, Promise<Map<string, TreeEntry>>>();
  /** Listings by commit, as GithubSource keeps them: each continuation of a large push lists the same tree. */
  private readonly trees = new Map<string, Promise<TreeFile[]>>();
  private readonly objects: GitCatFileBatch;

  constructor(private readonly repoDir: string) {
    this.objects = new GitCatFileBatch(repoDir);
  }

  /** Ends the long-lived `git cat-file --batch` (it does not keep Node alive while idle anyway). */
  close(): void {
    this.objects.close();
  }

  async listFiles(sha: string): Promise<string[]> {
    return splitZ(await this.git(['ls-tree', '-r', '--name-only', '-z', sha], `listing files at ${sha}`));
  }

  listTree(sha: string): Promise<TreeFile[]> {
    let pending = this.trees.get(sha);
    if (!pending) {
      pending = this.readTree(sha);
      pending.catch(() => this.trees.delete(sha));
      this.trees.set(sha, pending);
      const oldest = this.trees.keys().next().value;
      if (this.trees.size > ENTRY_CACHE_SIZE && oldest !== undefined) this.trees.delete(oldest);
    }
    // A copy: callers may sort or filter what they get.
    return pending.then((files) => [...files]);
  }

  private async readTree(sha: string): Promise<TreeFile[]> {
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

  /**
   * The file's text at `sha`. The tree entry is looked up first, so a file is refused by its size
   * before it is read, and a symlink is followed only while it stays inside the repository (as
   * GitHub's contents API does); `git show` would hand back the link's target path as if it were text.
   */
  async readFile(sha: string, path: string): Promise<string | undefined> {
    let current = path;
    for (let hop = 0; hop <= MAX_SYMLINK_HOPS; hop++) {
      const entry = await this.entry(sha, current);
      if (!entry || entry.type !== 'blob') return undefined;
      if (entry.mode === SYMLINK_MODE) {
        const target = (await this.blob(entry.id, path)).toString('utf8');
        const next = resolveInApp(dirOf(current), target);
        if (next === undefined) throw symlinkOutside(path);
        current = next;
        continue;
      }
      checkManifestSize(path, entry.size);
      return decodeManifestBytes(path, await this.blob(entry.id, path));
    }
    throw new RefusedFileError(path, `is a chain of more than ${MAX_SYMLINK_HOPS} symlinks`);
  }

  /** The tree entry of `path` at `sha`, from one `ls-tree -r -l` per commit (trees are immutable). */
  private async entry(sha: string, path: string): Promise<TreeEntry | undefined> {
    let pending = this.entries.get(sha);
    if (!pending) {
      pending = this.listEntries(sha);
      pending.catch(() => this.entries.delete(sha));
      this.entries.set(sha, pending);
      const oldest = this.entries.keys().next().value;
      if (this.entries.size > ENTRY_CACHE_SIZE && oldest !== undefined) this.entries.delete(oldest);
    }
    const all = await pending;
    // A directory is not listed by -r; report it as a tree, which readFile answers as absent.
    return all.get(path) ?? ([...all.keys()].some((p) => p.startsWith(`${path}/`)) ? { mode: '040000', type: 'tree', id: '', size: 0 } : undefined);
  }

  private async listEntries(sha: string): Promise<Map<string, TreeEntry>> {
    // `<mode> SP <type> SP <id> SP+ <size> TAB <path>`, -z keeping unusual path characters verbatim.
    const out = await this.git(['ls-tree', '-r', '-l', '-z', sha], `listing the tree at ${sha}`);
    const entries = new Map<string, TreeEntry>();
    for (const line of splitZ(out)) {
      const tab = line.indexOf('\t');
      const [mode = '', type = '', id = '', size = '0'] = line.slice(0, tab).split(/ +/);
      entries.set(line.slice(tab + 1), { mode, type, id, size: Number(size) || 0 });
    }
    return entries;
  }

  private async blob(id: string, path: string): Promise<Buffer> {
    let object: Awaited<ReturnType<GitCatFileBatch['read']>>;
    try {
      object = await this.objects.read(id);
    } catch (err) {
      throw new TransientError(`reading ${path}: ${(err as Error).message}`, { cause: err });
    }
    // The id came from this commit's tree listing: a missing object is a broken repository, not an absent file.
    if (!object) throw new TransientError(`reading ${path}: git has no object ${id}`);
    return object.content;
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
