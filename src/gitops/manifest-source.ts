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

export function filesAt(source: ManifestSource, sha: string): FilesAtCommit {
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
        pending = source.readFile(sha, path);
        // A failed read must be retried by the next caller, not cached as a rejection.
        pending.catch(() => cache.delete(path));
        cache.set(path, pending);
      }
      return pending;
    },
  };
}
