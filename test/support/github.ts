import { createHmac, randomUUID } from 'node:crypto';
import examples from '@octokit/webhooks-examples';
import type { WebhookRequest } from '../../src/gitops/webhook.js';

/** GitHub's `X-Hub-Signature-256` for a body: `sha256=` + hex HMAC-SHA256 with the webhook secret. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** A genuine example payload from @octokit/webhooks-examples, deep-copied so tests can edit it. */
export function examplePayloads(event: string): Record<string, unknown>[] {
  const def = examples.find((d) => d.name === event);
  if (!def) throw new Error(`no examples for ${event}`);
  return def.examples.map((e) => structuredClone(e) as unknown as Record<string, unknown>);
}

/** The example branch push (refs/heads/master with one commit); edit it to fit a test. */
export function examplePush(): Record<string, unknown> {
  const push = examplePayloads('push').find((p) => typeof p.ref === 'string' && p.ref.startsWith('refs/heads/') && p.deleted === false);
  if (!push) throw new Error('no branch push in @octokit/webhooks-examples');
  return push;
}

/** A signed webhook request as the handler receives it (header names lower-cased). */
export function signedRequest(opts: { secret: string; event: string; payload: unknown; delivery?: string; body?: string }): WebhookRequest {
  const body = opts.body ?? JSON.stringify(opts.payload);
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': opts.event,
      'x-github-delivery': opts.delivery ?? randomUUID(),
      'x-hub-signature-256': signBody(opts.secret, body),
    },
    body,
  };
}

/** A push payload for a monorepo test: ref, before/after and the per-commit changed paths. */
export function buildPush(opts: {
  repo: string;
  branch?: string;
  before: string;
  after: string;
  changed?: { added?: string[]; modified?: string[]; removed?: string[] };
  forced?: boolean;
  commits?: number;
  /** `repository.pushed_at`, unix seconds (default: now). */
  pushedAt?: number;
}): Record<string, unknown> {
  const base = examplePush();
  const commit = {
    id: opts.after,
    message: 'change apps\n\nbody',
    url: `https://github.com/${opts.repo}/commit/${opts.after}`,
    author: { name: 'Dev', username: 'dev' },
    added: opts.changed?.added ?? [],
    removed: opts.changed?.removed ?? [],
    modified: opts.changed?.modified ?? [],
  };
  const commits = Array.from({ length: opts.commits ?? 1 }, (_, i) => (i === 0 ? commit : { ...commit, id: `${i}`.padStart(40, 'a') }));
  return {
    ...base,
    ref: `refs/heads/${opts.branch ?? 'main'}`,
    before: opts.before,
    after: opts.after,
    created: false,
    deleted: false,
    forced: opts.forced ?? false,
    commits,
    head_commit: commit,
    repository: { ...(base.repository as object), full_name: opts.repo, default_branch: 'main', pushed_at: opts.pushedAt ?? Math.floor(Date.now() / 1000) },
  };
}
