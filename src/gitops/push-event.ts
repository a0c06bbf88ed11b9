import * as z from 'zod/mini';
import type { CommitRef } from '../domain/plan.js';

export const ZERO_SHA = '0000000000000000000000000000000000000000';

/** GitHub puts at most this many commits in a push payload; beyond it the list is truncated. */
export const PAYLOAD_COMMIT_LIMIT = 20;

// zod/mini, not classic zod: the webhook bundle is sized for cold starts (bench `bundles`).
const str = z.optional(z.string());
const paths = z._default(z.array(z.string()), []);
const flag = z._default(z.boolean(), false);

const commitSchema = z.object({
  id: z.string(),
  message: z._default(z.string(), ''),
  url: str,
  author: z.optional(z.object({ name: str, username: str })),
  added: paths,
  removed: paths,
  modified: paths,
});

/** Only the fields stepcd reads; everything else in GitHub's payload passes through unchecked. */
const pushPayloadSchema = z.object({
  ref: z.string(),
  before: z.string(),
  after: z.string(),
  created: flag,
  deleted: flag,
  forced: flag,
  commits: z._default(z.array(commitSchema), []),
  head_commit: z.optional(z.nullable(commitSchema)),
  repository: z.object({
    full_name: z.string(),
    default_branch: str,
    // Unix seconds in push payloads (an ISO string in some other events).
    pushed_at: z.optional(z.nullable(z.union([z.number(), z.string()]))),
  }),
  pusher: z.optional(z.object({ name: str })),
  sender: z.optional(z.object({ login: str })),
});

export type PushPayload = z.infer<typeof pushPayloadSchema>;
export type PayloadCommit = z.infer<typeof commitSchema>;

/** A push stepcd will act on: the pushed sha of a tracked ref. Serialisable (it crosses async invokes). */
export interface PushEvent {
  repo: string;
  ref: string;
  /** Branch name, or the tag name for a tag push. */
  refName: string;
  refType: 'branch' | 'tag';
  before: string;
  after: string;
  commit: CommitRef;
  /** X-GitHub-Delivery. */
  delivery?: string;
  /** `repository.pushed_at` as an ISO date, when the payload has a valid one. */
  pushedAt?: string;
  actor?: string;
  /** Paths from the payload; absent when the payload cannot be trusted to list them all. */
  payloadPaths?: string[];
}

export interface Tracking {
  /** `owner/name`; empty tracks every repository the webhook is installed on. */
  repos: string[];
  /** Empty tracks only the repository's default branch. */
  branches: string[];
  deployTags: boolean;
}

export type PushDecision = { kind: 'deploy'; push: PushEvent } | { kind: 'ignore'; reason: string };

export function parsePushPayload(json: unknown): { ok: true; payload: PushPayload } | { ok: false; error: string } {
  const parsed = pushPayloadSchema.safeParse(json, { reportInput: true });
  if (parsed.success) return { ok: true, payload: parsed.data };
  const first = parsed.error.issues[0];
  return { ok: false, error: `not a push payload: ${first ? `${first.path.join('.') || 'the body'} ${describe(first)}` : 'invalid'}` };
}

/** zod/mini carries no locale, so the wording is ours. */
function describe(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'invalid_type') return issue.message;
  return (issue as { input?: unknown }).input === undefined ? 'is required' : `must be ${issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}`;
}

/** Pure: is this push one stepcd deploys, and if so, what exactly was pushed. */
export function classifyPush(payload: PushPayload, tracking: Tracking, delivery?: string): PushDecision {
  // GitHub names are case-insensitive. The configured spelling is the one that keys deployment ids,
  // so the same commit maps to the same deployment however the payload spells the repository.
  const named = payload.repository.full_name;
  const tracked = tracking.repos.find((r) => r.toLowerCase() === named.toLowerCase());
  if (tracking.repos.length > 0 && !tracked) {
    return { kind: 'ignore', reason: `repository ${named} is not tracked` };
  }
  const repo = tracked ?? named;
  const ref = parseRef(payload.ref);
  if (!ref) return { kind: 'ignore', reason: `ref ${payload.ref} is neither a branch nor a tag` };
  if (payload.deleted || payload.after === ZERO_SHA) return { kind: 'ignore', reason: `${ref.type} ${ref.name} was deleted` };
  if (ref.type === 'tag' && !tracking.deployTags) return { kind: 'ignore', reason: `tag pushes are not deployed (tag ${ref.name})` };
  if (ref.type === 'branch' && !isTrackedBranch(ref.name, tracking.branches, payload.repository.default_branch)) {
    return { kind: 'ignore', reason: `branch ${ref.name} is not tracked` };
  }
  const head = payload.head_commit ?? payload.commits.find((c) => c.id === payload.after);
  const push: PushEvent = {
    repo,
    ref: payload.ref,
    refName: ref.name,
    refType: ref.type,
    before: payload.before,
    after: payload.after,
    commit: {
      sha: payload.after,
      message: firstLine(head?.message ?? ''),
      author: head?.author?.username ?? head?.author?.name ?? payload.pusher?.name ?? 'unknown',
      ...(head?.url ? { url: head.url } : {}),
      ...(ref.type === 'branch' ? { branch: ref.name } : {}),
    },
    ...(delivery ? { delivery } : {}),
    ...pushedAtOf(payload.repository.pushed_at),
    ...(payload.sender?.login ? { actor: payload.sender.login } : {}),
  };
  if (!payloadIsIncomplete(payload)) push.payloadPaths = pathsFromCommits(payload.commits);
  return { kind: 'deploy', push };
}

/**
 * The payload's commit list is not the whole story when GitHub truncated it, when history was
 * rewritten (removed commits are not listed), or when the ref is new (commits already on another
 * branch are not listed). Then the compare API (or git diff) is the source of truth.
 */
export function payloadIsIncomplete(payload: Pick<PushPayload, 'commits' | 'forced' | 'before'>): boolean {
  return payload.commits.length > PAYLOAD_COMMIT_LIMIT || payload.forced || payload.before === ZERO_SHA;
}

export function pathsFromCommits(commits: readonly PayloadCommit[]): string[] {
  const paths = new Set<string>();
  for (const c of commits) for (const p of [...c.added, ...c.modified, ...c.removed]) paths.add(p);
  return [...paths].sort();
}

function parseRef(ref: string): { type: 'branch' | 'tag'; name: string } | undefined {
  if (ref.startsWith('refs/heads/')) return { type: 'branch', name: ref.slice('refs/heads/'.length) };
  if (ref.startsWith('refs/tags/')) return { type: 'tag', name: ref.slice('refs/tags/'.length) };
  return undefined;
}

function isTrackedBranch(branch: string, branches: string[], defaultBranch: string | undefined): boolean {
  if (branches.length > 0) return branches.includes(branch);
  // No list configured: only the default branch deploys. A payload without it deploys nothing.
  return defaultBranch !== undefined && branch === defaultBranch;
}

function pushedAtOf(raw: number | string | null | undefined): { pushedAt?: string } {
  if (raw === undefined || raw === null) return {};
  const ms = typeof raw === 'number' ? raw * 1000 : Date.parse(raw);
  return Number.isFinite(ms) ? { pushedAt: new Date(ms).toISOString() } : {};
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0] ?? '';
}
