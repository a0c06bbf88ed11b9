import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler, createWebhookRoute } from '../../src/gitops/webhook-handler.js';
import { ManifestPlanner } from '../../src/gitops/app-planner.js';
import { InProcessDeferrer } from '../../src/gitops/deferrers.js';
import { LocalGitSource } from '../../src/gitops/local-git-source.js';
import { triggerDeployments } from '../../src/gitops/trigger.js';
import type { WebhookDeps } from '../../src/gitops/webhook.js';
import type { LocalDynamo } from '../../src/local/dynamo.js';
import { startHistory } from '../support/stacks/history.js';
import { initRepo, writeAndCommit } from '../../src/local/git-repo.js';
import { startHttpFront, type HttpFront } from '../../src/local/http-front.js';
import { createLogger } from '../../src/logging.js';
import { buildPush, signBody } from '../support/github.js';
import { CapturedEvents, FakeServices, RecordingWorkflow, taskdef, threeAppRepo } from './fakes.js';

const SECRET = 'test-webhook-secret';
const REPO = 'stepcd/demo';

let dynamo: LocalDynamo;
let front: HttpFront;
let repoDir: string;
let base: string;
let head: string;
let deps: WebhookDeps;
const workflow = new RecordingWorkflow();

beforeAll(async () => {
  const started = await startHistory({ tableName: 'webhook-history' });
  dynamo = started.dynamo;
  repoDir = await mkdtemp(join(tmpdir(), 'stepcd-webhook-'));
  await initRepo(repoDir);
  base = await writeAndCommit(repoDir, threeAppRepo(), 'three apps');
  head = await writeAndCommit(repoDir, { 'apps/api/taskdef.yaml': taskdef('api', 'cpu: "512"\n') }, 'api: more cpu');
  deps = {
    secret: SECRET,
    tracking: { repos: [REPO], branches: ['main'], deployTags: false },
    source: new LocalGitSource(repoDir),
    planner: new ManifestPlanner(new FakeServices()),
    history: started.history,
    workflow,
    events: new CapturedEvents(),
    deferrer: new InProcessDeferrer((push, paths) => triggerDeployments(push, deps, paths)),
    logger: createLogger('test', { logLevel: 'SILENT' }),
    now: () => new Date('2026-01-01T00:00:00Z'),
    wallNow: () => new Date('2026-01-01T00:00:00Z'),
  };
  front = await startHttpFront({ routes: { 'POST /webhooks/github': createWebhookRoute(deps) } });
});

afterAll(async () => {
  await front.close();
  await dynamo.stop();
  await rm(repoDir, { recursive: true, force: true });
});

interface Delivery {
  event?: string;
  body: string;
  signature?: string | null;
  delivery?: string;
}

async function deliver(d: Delivery): Promise<{ status: number; json: Record<string, any> }> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-github-delivery': d.delivery ?? crypto.randomUUID() };
  if (d.event) headers['x-github-event'] = d.event;
  const signature = d.signature === undefined ? signBody(SECRET, d.body) : d.signature;
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  const res = await fetch(`${front.url}/webhooks/github`, { method: 'POST', headers, body: d.body });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, any>) : {} };
}

const goodPush = () => JSON.stringify(buildPush({ repo: REPO, before: base, after: head, changed: { modified: ['apps/api/taskdef.yaml'] } }));

// The bad-input table runs against the real local stack (real SFN): see webhook-stack.test.ts.

describe('POST /webhooks/github with a tracked push', () => {
  it('starts one deployment, and a redelivery answers 200 with the same id and starts nothing', async () => {
    const body = goodPush();
    const delivery = crypto.randomUUID();

    const first = await deliver({ event: 'push', body, delivery });
    const again = await deliver({ event: 'push', body, delivery });

    expect(first.status).toBe(200);
    expect(first.json.apps).toEqual([expect.objectContaining({ app: 'api', status: 'STARTED' })]);
    expect(again.status).toBe(200);
    expect(again.json.status).toBe('redelivery');
    // No Begin runs over these fakes, so the record never names the execution: the start by its name
    // answers with the same one.
    const { deploymentId, executionArn } = first.json.apps[0];
    expect(again.json.apps).toEqual([expect.objectContaining({ deploymentId, status: 'STARTED', executionArn })]);
    expect(workflow.started.filter((s) => s.input.deploymentId === first.json.apps[0].deploymentId)).toHaveLength(1);
  });

  it('accepts a base64-encoded body as API Gateway may send it', async () => {
    const body = goodPush();
    const handler = createHandler(deps);

    const res = await handler({
      headers: { 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': signBody(SECRET, body), 'X-GitHub-Delivery': 'b64' },
      body: Buffer.from(body).toString('base64'),
      isBase64Encoded: true,
      requestContext: { http: { method: 'POST' } },
    });

    expect(res?.statusCode).toBe(200);
  });
});

describe('POST /webhooks/github with a form-encoded payload', () => {
  it('answers 400 and says which webhook setting to change', async () => {
    const body = new URLSearchParams({ payload: goodPush() }).toString();
    const handler = createHandler(deps);

    const res = await handler({
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-GitHub-Event': 'push', 'X-Hub-Signature-256': signBody(SECRET, body) },
      body,
      isBase64Encoded: false,
      requestContext: { http: { method: 'POST' } },
    });

    expect(res?.statusCode).toBe(400);
    expect(JSON.parse(res?.body ?? '{}').error).toMatch(/set its content type to application\/json/);
  });
});

describe('createHandler', () => {
  it('refuses to start without the webhook secret', () => {
    expect(() => createHandler({ ...deps, secret: '' })).toThrow(/secret/);
  });
});
