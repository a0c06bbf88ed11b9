/**
 * Port: where manifests are read from at a given commit. Two implementations: the GitHub REST API
 * (github-source.ts) and a git repository on disk (local-git-source.ts) for the local cloud.
 */
export interface ManifestSource {
  /** Every file path at `sha`, from one recursive tree listing (never per-directory calls). */
  listFiles(sha: string): Promise<string[]>;
  /**
   * Every file at `sha` with its git blob id, from the same one recursive listing. The id hashes the
   * content, so what is derived from a file's text can be cached by it (see trigger-cache.ts).
   */
  listTree(sha: string): Promise<TreeFile[]>;
  /**
   * Paths that differ between `before` and `after` (renames give both paths). When `before` is the
   * all-zeros sha (a new ref), the paths changed by the `after` commit itself.
   */
  changedPaths(before: string, after: string): Promise<string[]>;
  /** The file's text at `sha`, or undefined if it does not exist there. */
  readFile(sha: string, path: string): Promise<string | undefined>;
}

export interface TreeFile {
  path: string;
  /** The git blob id (GitHub's `tree[].sha`, `git ls-tree`'s object id). */
  id: string;
}

/** Reads files of one commit, each at most once: several apps may share a definition file. */
export interface FilesAtCommit {
  sha: string;
  read(path: string): Promise<string | undefined>;
  /** The commit's files with their blob ids, listed once. */
  tree(): Promise<TreeFile[]>;
}

/**
 * File texts by commit and path, for one warm container. `<sha>:<path>` names content that never
 * changes, so an entry is never stale. It is what keeps a push from reading an app config twice:
 * the analysis reads every config, and the continuations that plan the apps (in-process locally,
 * often the same warm container on AWS) find them here. Bounded by bytes, least recently used out.
 */
export class FileTextCache {
  private readonly texts = new Map<string, string>();
  private bytes = 0;

  constructor(private readonly maxBytes = 32 * 1024 * 1024) {}

  get(sha: string, path: string): string | undefined {
    const key = `${sha}:${path}`;
    const text = this.texts.get(key);
    if (text === undefined) return undefined;
    this.texts.delete(key);
    this.texts.set(key, text);
    return text;
  }

  set(sha: string, path: string, text: string): void {
    const key = `${sha}:${path}`;
    const old = this.texts.get(key);
    if (old !== undefined) this.bytes -= old.length;
    this.texts.delete(key);
    this.texts.set(key, text);
    this.bytes += text.length;
    for (const [oldest, value] of this.texts) {
      if (this.bytes <= this.maxBytes) break;
      this.texts.delete(oldest);
      this.bytes -= value.length;
    }
  }

  get size(): number {
    return this.texts.size;
  }
}

/** The container-wide text cache `filesAt` uses when given none. */
export const containerFileTexts = new FileTextCache();

export function filesAt(source: ManifestSource, sha: string, texts: FileTextCache = containerFileTexts): FilesAtCommit {
  const cache = new Map<string, Promise<string | undefined>>();
  let tree: Promise<TreeFile[]> | undefined;
  return {
    sha,
    tree() {
      if (!tree) {
        tree = source.listTree(sha);
        tree.catch(() => (tree = undefined));
      }
      return tree;
    },
    read(path) {
      let pending = cache.get(path);
      if (!pending) {
        const known = texts.get(sha, path);
        pending =
          known !== undefined
            ? Promise.resolve(known)
            : source.readFile(sha, path).then((text) => {
                // Absent files and refusals are not kept: they are cheap to learn again, and rare.
                if (text !== undefined) texts.set(sha, path, text);
                return text;
              });
        // A failed read must be retried by the next caller, not cached as a rejection.
        pending.catch(() => cache.delete(path));
        cache.set(path, pending);
      }
      return pending;
    },
  };
}
