import type { Tracking } from '../../gitops/push-event.js';

/** What a pull_request delivery says that the check needs. */
export interface PullRequestEvent {
  repo: string;
  number: number;
  baseRef: string;
  baseSha: string;
  headSha: string;
  /** The head lives in another repository: checked the same way, read-only, from the base repository. */
  fork: boolean;
}

const ACTIONS = new Set(['opened', 'synchronize', 'reopened']);

export type PullRequestDecision = { kind: 'check'; pr: PullRequestEvent } | { kind: 'ignore'; reason: string } | { kind: 'invalid'; error: string };

/** Pure: whether stepcd checks this pull request (tracked repository, tracked base branch, a new head). */
export function classifyPullRequest(payload: unknown, tracking: Pick<Tracking, 'repos' | 'branches'>): PullRequestDecision {
  const p = payload as {
    action?: unknown;
    number?: unknown;
    repository?: { full_name?: unknown; default_branch?: unknown };
    pull_request?: { base?: { ref?: unknown; sha?: unknown; repo?: { full_name?: unknown } }; head?: { sha?: unknown; repo?: { full_name?: unknown } | null } };
  };
  const repo = p?.repository?.full_name;
  const base = p?.pull_request?.base;
  const head = p?.pull_request?.head;
  if (
    typeof p?.action !== 'string' ||
    typeof repo !== 'string' ||
    typeof p.number !== 'number' ||
    typeof base?.ref !== 'string' ||
    typeof base.sha !== 'string' ||
    typeof head?.sha !== 'string'
  ) {
    return {
      kind: 'invalid',
      error: 'not a pull_request payload: action, number, repository.full_name, pull_request.base.{ref,sha} and pull_request.head.sha are required',
    };
  }
  if (!ACTIONS.has(p.action)) return { kind: 'ignore', reason: `pull_request action ${p.action} is not checked (only opened, synchronize, reopened)` };
  if (tracking.repos.length > 0 && !tracking.repos.some((r) => r.toLowerCase() === repo.toLowerCase()))
    return { kind: 'ignore', reason: `repository ${repo} is not tracked` };
  const branches = tracking.branches.length > 0 ? tracking.branches : typeof p.repository?.default_branch === 'string' ? [p.repository.default_branch] : [];
  if (!branches.includes(base.ref)) return { kind: 'ignore', reason: `base branch ${base.ref} is not tracked` };
  const headRepo = head.repo?.full_name;
  return {
    kind: 'check',
    pr: {
      repo,
      number: p.number,
      baseRef: base.ref,
      baseSha: base.sha,
      headSha: head.sha,
      fork: typeof headRepo !== 'string' || headRepo.toLowerCase() !== repo.toLowerCase(),
    },
  };
}
