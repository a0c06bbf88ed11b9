import { generateKeyPairSync } from 'node:crypto';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../src/gitops/webhook-handler.js';
import { productionDeps } from '../../src/runtime/webhook.js';
import type { Config } from '../../src/config/index.js';
import { createLogger } from '../../src/logging.js';
import { buildPush, examplePayloads, examplePush, signBody } from '../support/github.js';
import { exampleFiles } from '../support/examples.js';
import { REPO, startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { GithubStandin } from './github-standin.js';

/**
 * The webhook over the real local stack: the HTTP front, the real Step Functions runtime running
 * the one ASL, DynamoDB, and the ECS emulator. Executions are counted with ListExecutions.
 */
let h: StackHarness;
let sfn: SFNClient;

beforeAll(async () => {
  h = await startStackHarness();
  sfn = new SFNClient(h.stack.cloud.clientConfigs.sfn);
});

afterAll(async () => {
  sfn?.destroy();
  await h?.stop();
});

async function executionCount(): Promise<number> {
  const { executions } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: h.stack.stateMachineArn }));
  return executions?.length ?? 0;
}

interface Delivery {
  event?: string;
  body: string;
  signature?: string | null;
}

async function deliver(d: Delivery): Promise<number> {
  const secret = h.stack.secrets.githubWebhookSecret;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-github-delivery': crypto.randomUUID() };
  if (d.event) headers['x-github-event'] = d.event;
  const signature = d.signature === undefined ? signBody(secret, d.body) : d.signature;
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  const res = await fetch(`${h.stack.front.url}/webhooks/github`, { method: 'POST', headers, body: d.body });
  await res.text();
  return res.status;
}

describe('POST /webhooks/github on the local stack with bad or unwanted input', () => {
  const A = 'a'.repeat(40);
  const B = 'b'.repeat(40);
  const push = (over: { branch?: string } = {}) =>
    JSON.stringify(buildPush({ repo: REPO, before: A, after: B, changed: { modified: ['apps/simple/taskdef.yaml'] }, ...over }));
  const branchDelete = () =>
    examplePayloads('push').find((p) => p.deleted === true && String(p.ref).startsWith('refs/heads/')) ?? {
      ...examplePush(),
      deleted: true,
      after: '0'.repeat(40),
    };
  const cases: { name: string; delivery: () => Delivery; status: number }[] = [
    { name: 'fail: a missing signature', delivery: () => ({ event: 'push', body: push(), signature: null }), status: 401 },
    { name: 'fail: a wrong signature', delivery: () => ({ event: 'push', body: push(), signature: signBody('not-the-secret', push()) }), status: 401 },
    {
      name: 'fail: a signature from a different body',
      delivery: () => ({ event: 'push', body: push(), signature: signBody(h.stack.secrets.githubWebhookSecret, '{}') }),
      status: 401,
    },
    { name: 'fail: a malformed signature header', delivery: () => ({ event: 'push', body: push(), signature: 'sha1=abc' }), status: 401 },
    { name: 'fail: an empty body', delivery: () => ({ event: 'push', body: '' }), status: 400 },
    { name: 'fail: truncated JSON', delivery: () => ({ event: 'push', body: push().slice(0, 50) }), status: 400 },
    { name: 'fail: a push without the fields of a push', delivery: () => ({ event: 'push', body: '{"zen":"hi"}' }), status: 400 },
    { name: 'ignored: an unknown event', delivery: () => ({ event: 'issues', body: JSON.stringify(examplePayloads('issues')[0]) }), status: 202 },
    {
      name: 'ignored: a branch deletion',
      delivery: () => ({
        event: 'push',
        body: JSON.stringify({ ...branchDelete(), repository: { full_name: REPO, default_branch: 'main' }, ref: 'refs/heads/main' }),
      }),
      status: 202,
    },
    { name: 'ignored: an untracked branch', delivery: () => ({ event: 'push', body: push({ branch: 'feature/x' }) }), status: 202 },
    {
      name: 'ignored: an untracked repository (the genuine example push)',
      delivery: () => ({ event: 'push', body: JSON.stringify(examplePush()) }),
      status: 202,
    },
    {
      name: 'ignored: a tag push (the genuine example)',
      delivery: () => ({ event: 'push', body: JSON.stringify({ ...examplePayloads('push')[0], repository: { full_name: REPO } }) }),
      status: 202,
    },
    { name: 'success: ping', delivery: () => ({ event: 'ping', body: JSON.stringify(examplePayloads('ping')[0]) }), status: 200 },
  ];

  it.each(cases)('$name answers $status and starts no execution', async ({ delivery, status }) => {
    const before = await executionCount();

    const answered = await deliver(delivery());

    expect(answered).toBe(status);
    expect(await executionCount()).toBe(before);
  });

  it('success: a signed push of a tracked branch starts exactly one execution (the count can move)', async () => {
    const before = await executionCount();

    const res = await h.push(await exampleFiles(['simple']), 'add simple');

    expect(res.status).toBe(200);
    expect(await executionCount()).toBe(before + 1);
    const run = await h.stack.cloud.sfn.waitForExecution(res.body.apps![0]!.executionArn!, { timeoutMs: 30_000 });
    expect(run.status).toBe('SUCCEEDED');
  });
});

describe('the production webhook deps (GitHub App auth, buildCoreDeps) on the local stack', () => {
  const GITHUB_REPO = 'acme/deploys';
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let github: GithubStandin;

  beforeAll(async () => {
    const now = () => h.stack.cloud.clock.now();
    github = await new GithubStandin(GITHUB_REPO, { appId: '42', installationId: '7', publicKey, tokenTtlMs: 60 * 60 * 1000, now }).start();
  });
  afterAll(async () => {
    await github?.stop();
  });

  it('reads the manifests from GitHub at the pushed sha and runs the deployment to SUCCESS in the real state machine', async () => {
    const base = github.addCommit('1'.repeat(40), { parents: [], files: { 'README.md': '# deploys\n' } });
    const head = github.addCommit('2'.repeat(40), { parents: [base], files: { 'README.md': '# deploys\n', ...(await exampleFiles(['canary'])) } });
    const config: Config = {
      ...h.stack.config,
      github: { repos: [GITHUB_REPO], branches: ['main'], deployTags: false, apiUrl: github.url, app: { appId: '42', installationId: '7' } },
      webhookFunctionName: 'stepcd-github-webhook',
    };
    const secrets = { githubWebhookSecret: 'prod-secret', githubAppPrivateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString() };
    const deps = productionDeps({
      config,
      clients: h.stack.cloud.clientConfigs,
      secrets,
      logger: createLogger('github-webhook', { logLevel: 'SILENT' }),
      now: () => h.stack.cloud.clock.now(),
    });
    // A forced push: the payload's file lists cannot be trusted, so changed paths come from GitHub's trees.
    const body = JSON.stringify(buildPush({ repo: GITHUB_REPO, before: base, after: head, forced: true }));
    const before = await executionCount();

    const res = await createHandler(deps)({
      headers: { 'X-GitHub-Event': 'push', 'X-GitHub-Delivery': 'prod-1', 'X-Hub-Signature-256': signBody(secrets.githubWebhookSecret, body) },
      body,
      requestContext: { http: { method: 'POST' } },
    });

    expect(res?.statusCode).toBe(200);
    const { apps } = JSON.parse(res!.body) as { apps: { app: string; status: string; deploymentId: string; executionArn: string }[] };
    expect(apps).toEqual([expect.objectContaining({ app: 'canary', status: 'STARTED' })]);
    expect(await executionCount()).toBe(before + 1);
    expect(github.issued).toHaveLength(1);
    expect(
      github
        .calls(/git\/trees/)
        .map((c) => c.path)
        .sort(),
    ).toEqual([`/repos/${GITHUB_REPO}/git/trees/${base}`, `/repos/${GITHUB_REPO}/git/trees/${head}`]);
    // The manifests came by GraphQL with the installation token (the config read once, then the two
    // definitions together), never by one contents request each.
    expect(github.calls(/\/contents\//)).toEqual([]);
    const queries = github.calls(/^\/graphql$/);
    expect(queries.map((q) => [...String((q.body as { query: string }).query).matchAll(/ object\(/g)].length)).toEqual([1, 2]);
    expect(queries.map((q) => q.authorization)).toEqual(queries.map(() => `Bearer ${github.issued[0]!.token}`));
    const run = await h.stack.cloud.sfn.waitForExecution(apps[0]!.executionArn, { timeoutMs: 30_000 });
    expect(run.status).toBe('SUCCEEDED');
    expect(await h.stack.core.history.getDeployment(apps[0]!.deploymentId)).toMatchObject({ status: 'SUCCESS', commit: { sha: head } });
  });
});
