import { InvalidStateError } from '../errors.js';
import { GraphqlBlobReader, type GraphqlBlob } from './github-blobs.js';
import { githubRepoClient, type GithubClientOptions, type Octokit } from './github-client.js';
import { wrapGithubError } from './github-errors.js';
import type { ManifestSource, TreeFile } from './manifest-source.js';
import { ZERO_SHA } from './push-event.js';
import { diffTrees, type TreeEntry } from './tree-diff.js';
import { dirOf, resolveInApp } from '../manifest/paths.js';
import { checkManifestSize, decodeManifestBytes, symlinkOutside } from '../manifest/refusal.js';

export { wrapGithubError } from './github-errors.js';

export type GithubSourceOptions = GithubClientOptions;

/** Trees kept per warm container: a push needs its two, the next push usually starts from the last. */
const TREE_CACHE_SIZE = 4;

/**
 * ManifestSource over the GitHub API (ARCHITECTURE §1): git trees (recursive), git commits (for a
 * parent), file texts in batches by GraphQL, and REST contents at a ref for what GraphQL cannot give.
 *
 * Changed paths come from diffing the two recursive trees, not from the compare API: compare lists
 * at most 300 files with no way to page through the rest, so a large push would silently skip apps.
 * Two tree listings are exact for any push size, and the head tree is the one listFiles needs anyway.
 */
export class GithubSource implements ManifestSource {
  private readonly octokit: Octokit;
  private readonly owner: string;
  private readonly name: string;
  private readonly trees = new Map<string, Promise<TreeEntry[]>>();
  private readonly byPath = new WeakMap<TreeEntry[], Map<string, TreeEntry>>();
  private readonly blobs: GraphqlBlobReader;

  constructor(options: GithubSourceOptions) {
    ({ octokit: this.octokit, owner: this.owner, name: this.name } = githubRepoClient(options));
    this.blobs = new GraphqlBlobReader(this.octokit, this.owner, this.name);
  }

  async listFiles(sha: string): Promise<string[]> {
    return (await this.tree(sha)).filter((e) => e.type === 'blob').map((e) => e.path);
  }

  async listTree(sha: string): Promise<TreeFile[]> {
    return (await this.tree(sha)).filter((e) => e.type === 'blob').map((e) => ({ path: e.path, id: e.sha }));
  }

  /** As `git diff --name-only --no-renames before after`; for a new ref, what the pushed commit changed. */
  async changedPaths(before: string, after: string): Promise<string[]> {
    const base = before === ZERO_SHA ? await this.firstParent(after) : before;
    const [baseTree, headTree] = await Promise.all([base ? this.tree(base) : Promise.resolve([]), this.tree(after)]);
    return diffTrees(baseTree, headTree);
  }

  /**
   * The file's text at `sha`; undefined when it is missing or is not a file (a directory, a submodule).
   * A regular file of the tree listing (which every push reads anyway) is read in a GraphQL batch
   * with the others asked for meanwhile; the rest, and any blob GraphQL cannot give exactly, by REST.
   */
  async readFile(sha: string, path: string): Promise<string | undefined> {
    const entry = this.indexOf(await this.tree(sha)).get(path);
    // Symlinks (120000) need GitHub's REST resolution; absent paths may run through a symlinked directory.
    if (entry?.type !== 'blob' || (entry.mode !== '100644' && entry.mode !== '100755')) return this.readFileByRest(sha, path);
    // The listing's size refuses a big file before any of it is read.
    checkManifestSize(path, entry.size ?? 0);
    const text = exactText(await this.blobs.read(sha, path, entry.size ?? 0));
    return text ?? this.readFileByRest(sha, path);
  }

  private indexOf(entries: TreeEntry[]): Map<string, TreeEntry> {
    let index = this.byPath.get(entries);
    if (!index) {
      index = new Map(entries.map((e) => [e.path, e]));
      this.byPath.set(entries, index);
    }
    return index;
  }

  /** The contents API: one request per file. */
  private async readFileByRest(sha: string, path: string): Promise<string | undefined> {
    const doing = `reading ${path} at ${sha}`;
    let data: unknown;
    try {
      ({ data } = await this.octokit.request('GET /repos/{owner}/{repo}/contents/{path}', { owner: this.owner, repo: this.name, path, ref: sha }));
    } catch (err) {
      if ((err as { status?: number }).status === 404) return undefined;
      throw wrapGithubError(doing, err);
    }
    const file = data as { type?: string; encoding?: string; content?: string; size?: number; target?: string };
    if (Array.isArray(data)) return undefined;
    // GitHub follows a symlink to a file inside the repository itself; what comes back as a symlink
    // points elsewhere: outside the repository is refused, a directory inside it is not a file.
    if (file.type === 'symlink') {
      if (resolveInApp(dirOf(path), file.target ?? '/') === undefined) throw symlinkOutside(path);
      return undefined;
    }
    if (file.type !== 'file') return undefined;
    checkManifestSize(path, file.size ?? 0);
    // Over 1 MB the contents API sends no content (encoding "none"); the size check refuses those first.
    if (file.encoding !== 'base64' || typeof file.content !== 'string') {
      throw new InvalidStateError(`${doing}: the contents API sent no content (${file.size ?? '?'} bytes, encoding ${file.encoding ?? 'none'})`);
    }
    return decodeManifestBytes(path, Buffer.from(file.content, 'base64'));
  }

  /** One recursive listing per sha (trees are immutable), bounded; a failure is not cached. */
  private tree(sha: string): Promise<TreeEntry[]> {
    let pending = this.trees.get(sha);
    if (!pending) {
      pending = this.fetchTree(sha);
      pending.catch(() => this.trees.delete(sha));
      this.trees.set(sha, pending);
      const oldest = this.trees.keys().next().value;
      if (this.trees.size > TREE_CACHE_SIZE && oldest !== undefined) this.trees.delete(oldest);
    }
    return pending;
  }

  private async fetchTree(sha: string): Promise<TreeEntry[]> {
    const doing = `listing the tree of ${this.owner}/${this.name} at ${sha}`;
    const { data } = await this.call(doing, () =>
      this.octokit.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', { owner: this.owner, repo: this.name, tree_sha: sha, recursive: 'true' }),
    );
    // A truncated tree would silently hide apps (and changes); refusing is the only safe answer.
    if (data.truncated) throw new InvalidStateError(`${doing}: GitHub truncated the tree (repository too large for one listing)`);
    return data.tree.flatMap((e) =>
      e.path && e.type && e.mode && e.sha ? [{ path: e.path, type: e.type, mode: e.mode, sha: e.sha, ...(e.size !== undefined ? { size: e.size } : {}) }] : [],
    );
  }

  private async firstParent(sha: string): Promise<string | undefined> {
    const { data } = await this.call(`reading commit ${sha}`, () =>
      this.octokit.request('GET /repos/{owner}/{repo}/git/commits/{commit_sha}', { owner: this.owner, repo: this.name, commit_sha: sha }),
    );
    return data.parents[0]?.sha;
  }

  private async call<T>(doing: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (err) {
      throw wrapGithubError(doing, err);
    }
  }
}

/**
 * GraphQL's text when it is exactly the committed bytes as UTF-8, else undefined (then REST decides):
 * binary or truncated blobs have no (full) text, and bytes that are not UTF-8 come back altered, so
 * the text must re-encode to the blob's byte size and carry no U+FFFD. A leading BOM is dropped, as
 * decodeManifestBytes does for the REST path, so both paths give the same text.
 */
function exactText(blob: GraphqlBlob | null): string | undefined {
  if (!blob || blob.isBinary || blob.isTruncated || blob.text === null) return undefined;
  if (Buffer.byteLength(blob.text) !== blob.byteSize || blob.text.includes('\uFFFD')) return undefined;
  return blob.text.startsWith('\uFEFF') ? blob.text.slice(1) : blob.text;
}
