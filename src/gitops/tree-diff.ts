/** One entry of a recursive git tree listing, as GitHub's trees API returns it. */
export interface TreeEntry {
  path: string;
  /** `blob` (file), `commit` (submodule) or `tree` (directory). */
  type: string;
  mode: string;
  sha: string;
  /** Bytes of a blob (GitHub's trees API gives it; absent for trees and submodules). */
  size?: number;
}

/**
 * Pure: the paths that differ between two recursive tree listings, as `git diff --name-only
 * --no-renames base head` gives them: added, removed, and changed in content or mode. A rename is
 * its old path and its new one. Directories are skipped: their changes are the changes of their files.
 */
export function diffTrees(base: readonly TreeEntry[], head: readonly TreeEntry[]): string[] {
  const before = leaves(base);
  const after = leaves(head);
  const changed = new Set<string>();
  for (const [path, id] of after) if (before.get(path) !== id) changed.add(path);
  for (const path of before.keys()) if (!after.has(path)) changed.add(path);
  return [...changed].sort();
}

function leaves(entries: readonly TreeEntry[]): Map<string, string> {
  return new Map(entries.filter((e) => e.type !== 'tree').map((e) => [e.path, `${e.mode} ${e.sha}`]));
}
