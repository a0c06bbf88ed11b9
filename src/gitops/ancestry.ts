/**
 * How `head` relates to `base` in Git history, in the words of GitHub's compare API
 * (`GET /repos/{owner}/{repo}/compare/{base}...{head}`):
 *   identical  the same commit
 *   ahead      `base` is an ancestor of `head` (head is newer)
 *   behind     `head` is an ancestor of `base` (head is older)
 *   diverged   neither is an ancestor of the other (a force push rewrote history)
 */
export type CommitRelation = 'identical' | 'ahead' | 'behind' | 'diverged';

/**
 * Port: commit ancestry, from Git itself and never from arrival order (GitHub delivers webhooks out
 * of order). Two implementations: GitHub's compare API (github-ancestry.ts) and
 * `git merge-base --is-ancestor` on a local repository (local-git-ancestry.ts).
 */
export interface AncestryPort {
  compare(base: string, head: string): Promise<CommitRelation>;
}

/**
 * Ancestry between two commits never changes, so answers are kept for the life of the container:
 * a queued deployment runs Begin again at every resume (a hand-off, a newer push, its backstop) and
 * must not call GitHub each time.
 */
export function cachedAncestry(port: AncestryPort, maxEntries = 1000): AncestryPort {
  const cache = new Map<string, Promise<CommitRelation>>();
  return {
    compare(base, head) {
      const key = `${base}...${head}`;
      let answer = cache.get(key);
      if (!answer) {
        answer = port.compare(base, head);
        // A failed lookup is asked again next time, not remembered.
        answer.catch(() => cache.delete(key));
        if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
        cache.set(key, answer);
      }
      return answer;
    },
  };
}
