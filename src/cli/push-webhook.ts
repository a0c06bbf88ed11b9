import { execFile } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { CliError } from './errors.js';

const exec = promisify(execFile);

export interface LocalPush {
  repoDir: string;
  /** `owner/name` the stack tracks (the local stack's default is `local/manifests`). */
  repo: string;
  branch: string;
  before: string;
  after: string;
}

export interface PushReply {
  status: number;
  body: { apps?: { app: string; deploymentId: string; status: string; executionArn?: string; errors?: string[] }[]; [key: string]: unknown };
}

/**
 * What GitHub would send for a push of before..after to a local repository: the head commit with
 * every changed path, signed with the webhook secret. `stepcd local` sends it when the branch head
 * moves; the demo sends it after each commit. The front handles it exactly as API Gateway would.
 */
export async function buildPushPayload(push: LocalPush): Promise<Record<string, unknown>> {
  const [log, changes] = await Promise.all([
    git(push.repoDir, ['log', '-1', '--format=%an%x00%ae%x00%B', push.after]),
    git(push.repoDir, ['diff', '--name-status', '--no-renames', push.before, push.after]),
  ]);
  const [author = 'unknown', email = '', message = ''] = log.split('\0');
  const added: string[] = [];
  const removed: string[] = [];
  const modified: string[] = [];
  for (const line of changes.split('\n').filter(Boolean)) {
    const [status, path] = line.split('\t');
    if (!path) continue;
    (status === 'A' ? added : status === 'D' ? removed : modified).push(path);
  }
  const commit = {
    id: push.after,
    message: message.trim(),
    timestamp: new Date().toISOString(),
    url: `file://${push.repoDir}#${push.after}`,
    author: { name: author, email, username: author },
    added,
    removed,
    modified,
  };
  return {
    ref: `refs/heads/${push.branch}`,
    before: push.before,
    after: push.after,
    created: false,
    deleted: false,
    forced: false,
    commits: [commit],
    head_commit: commit,
    repository: { full_name: push.repo, default_branch: push.branch, pushed_at: Math.floor(Date.now() / 1000) },
    pusher: { name: author },
    sender: { login: author },
  };
}

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export async function sendPushWebhook(webhookUrl: string, secret: string, push: LocalPush): Promise<PushReply> {
  return postSignedWebhook(webhookUrl, secret, await buildPushPayload(push));
}

/** POSTs a payload as GitHub does: JSON, the event name, a delivery id and X-Hub-Signature-256. */
export async function postSignedWebhook(
  webhookUrl: string,
  secret: string,
  payload: unknown,
  opts: { event?: string; delivery?: string } = {},
): Promise<PushReply> {
  const body = JSON.stringify(payload);
  const res = await fetch(webhookUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': opts.event ?? 'push',
      'x-github-delivery': opts.delivery ?? randomUUID(),
      'x-hub-signature-256': signBody(secret, body),
    },
    body,
  });
  const text = await res.text();
  let parsed: PushReply['body'];
  try {
    parsed = JSON.parse(text) as PushReply['body'];
  } catch {
    parsed = { message: text };
  }
  return { status: res.status, body: parsed };
}

export async function branchHead(repoDir: string, branch: string): Promise<string | undefined> {
  try {
    return (await git(repoDir, ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`])).trim() || undefined;
  } catch {
    return undefined;
  }
}

async function git(dir: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await exec('git', ['-C', dir, ...args], { encoding: 'utf8' });
    return stdout;
  } catch (err) {
    throw new CliError(`git ${args[0]} failed in ${dir}`, { hint: 'is it a git repository with that branch?', cause: err });
  }
}
