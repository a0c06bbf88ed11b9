import './support/quiet.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headSha, writeAndCommit } from '../../src/local/git-repo.js';
import { createLogger } from '../../src/logging.js';
import { buildPush, examplePayloads, signBody } from '../support/github.js';
import { exampleFiles } from '../support/examples.js';
import { REPO, startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { createSummary } from './support/summary.js';
import { waitFor } from '../support/waits.js';

/**
 * Bad and unwanted deliveries through the real HTTP front of the whole local stack. Each one names a
 * real, deployable commit, so the only thing keeping an execution from starting is the webhook's own
 * checks; the real local SFN is asked how many executions exist. (test/gitops/webhook.test.ts covers
 * the same route over fakes; these are the cases it does not, plus its basics end to end.)
 */
const summary = createSummary('bad webhooks');
let h: StackHarness;
let before: string;
let head: string;
const secret = () => h.stack.secrets.githubWebhookSecret;

beforeAll(async () => {
  h = await startStackHarness({ logger: createLogger('reliability', { logLevel: 'SILENT' }) });
  await h.deployBaseline(await exampleFiles(['canary']), 'add canary');
  before = await headSha(h.repoDir);
  const path = 'apps/canary/taskdef.yaml';
  const text = await readFile(join(h.repoDir, path), 'utf8');
  head = await writeAndCommit(h.repoDir, { [path]: text.replace('canary:1.0.0', 'canary:2.0.0') }, 'canary: 2.0.0');
});
afterAll(async () => {
  await h?.stop();
});

const executions = () => h.stack.cloud.sfn.listExecutions({ stateMachineArn: h.stack.stateMachineArn }).length;
const pushOf = (o: Partial<Parameters<typeof buildPush>[0]> = {}) =>
  buildPush({ repo: REPO, before, after: head, changed: { modified: ['apps/canary/taskdef.yaml'] }, ...o });
const goodBody = () => JSON.stringify(pushOf());

interface Delivery {
  method?: string;
  headers?: Record<string, string>;
  event?: string | null;
  body: string | Buffer;
  /** The signature header; default: a correct one over the body. null leaves it out. */
  signature?: string | null;
  delivery?: string;
  contentType?: string;
}

async function deliver(d: Delivery): Promise<{ status: number; text: string }> {
  const body = d.body;
  const headers: Record<string, string> = {
    'content-type': d.contentType ?? 'application/json',
    'x-github-delivery': d.delivery ?? crypto.randomUUID(),
    ...d.headers,
  };
  if (d.event !== null) headers['x-github-event'] = d.event ?? 'push';
  const signature = d.signature === undefined ? signBody(secret(), body.toString()) : d.signature;
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  const method = d.method ?? 'POST';
  const res = await fetch(`${h.stack.front.url}/webhooks/github`, { method, headers, ...(method === 'GET' ? {} : { body }) });
  return { status: res.status, text: await res.text() };
}

const HUGE = 6 * 1024 * 1024;

describe('bad webhooks through the whole local stack', () => {
  const cases: { name: string; delivery: () => Delivery; status: number; note: string }[] = [
    {
      name: 'fail: signed with another secret',
      delivery: () => ({ body: goodBody(), signature: signBody('guess', goodBody()) }),
      status: 401,
      note: 'HMAC mismatch',
    },
    {
      name: 'fail: signature over a different body',
      delivery: () => ({ body: goodBody(), signature: signBody(secret(), JSON.stringify(pushOf({ branch: 'other' }))) }),
      status: 401,
      note: 'body swapped after signing',
    },
    {
      name: 'fail: body with one byte appended after signing',
      delivery: () => ({ body: `${goodBody()} `, signature: signBody(secret(), goodBody()) }),
      status: 401,
      note: 'trailing whitespace changes the HMAC',
    },
    {
      name: 'fail: sha1 signature only',
      delivery: () => ({ body: goodBody(), signature: null, headers: { 'x-hub-signature': 'sha1=0000' } }),
      status: 401,
      note: 'legacy X-Hub-Signature is not accepted',
    },
    {
      name: 'fail: signature without the sha256= prefix',
      delivery: () => ({ body: goodBody(), signature: signBody(secret(), goodBody()).slice('sha256='.length) }),
      status: 401,
      note: 'malformed header',
    },
    {
      name: 'fail: signature truncated',
      delivery: () => ({ body: goodBody(), signature: signBody(secret(), goodBody()).slice(0, 40) }),
      status: 401,
      note: 'length differs (timing-safe compare)',
    },
    {
      name: 'fail: signature in upper-case hex',
      delivery: () => ({ body: goodBody(), signature: signBody(secret(), goodBody()).toUpperCase() }),
      status: 401,
      note: 'GitHub sends lower-case hex',
    },
    {
      name: 'fail: body re-encoded as UTF-16 after signing',
      delivery: () => ({ body: Buffer.from(goodBody(), 'utf16le'), signature: signBody(secret(), goodBody()) }),
      status: 401,
      note: 'encoding changes the bytes',
    },
    {
      name: 'fail: form-encoded payload (GitHub content type x-www-form-urlencoded)',
      delivery: () => ({ body: new URLSearchParams({ payload: goodBody() }).toString(), contentType: 'application/x-www-form-urlencoded' }),
      status: 400,
      note: 'stepcd requires content type application/json (docs/deploy.md)',
    },
    { name: 'fail: JSON with a BOM', delivery: () => ({ body: `\uFEFF${goodBody()}` }), status: 400, note: 'not valid JSON for JSON.parse' },
    { name: 'fail: signed JSON that is not an object', delivery: () => ({ body: '[1,2,3]' }), status: 400, note: 'not a push payload' },
    { name: 'fail: push with after not a string', delivery: () => ({ body: JSON.stringify({ ...pushOf(), after: 42 }) }), status: 400, note: 'schema check' },
    {
      name: 'fail: huge body with a wrong signature',
      delivery: () => ({ body: `{"pad":"${'x'.repeat(HUGE)}"}`, signature: signBody('guess', 'x') }),
      status: 413,
      note: 'over 5 MB: refused before the signature check and parse',
    },
    {
      name: 'fail: huge signed push to an untracked branch',
      delivery: () => ({ body: JSON.stringify({ ...pushOf({ branch: 'feature/big' }), pad: 'x'.repeat(HUGE) }) }),
      status: 413,
      note: 'over 5 MB, even correctly signed: refused before the signature check and parse',
    },
    { name: 'fail: GET instead of POST', delivery: () => ({ method: 'GET', body: '' }), status: 404, note: 'no GET route on the front' },
    {
      name: 'ignored: a signed push without X-GitHub-Event',
      delivery: () => ({ body: goodBody(), event: null }),
      status: 202,
      note: 'event header is required to act',
    },
    {
      name: 'ignored: pull_request event carrying the same commit',
      delivery: () => ({ body: JSON.stringify({ ...examplePayloads('pull_request')[0], after: head }), event: 'pull_request' }),
      status: 202,
      note: 'only push deploys',
    },
    {
      name: 'ignored: push event header in another case',
      delivery: () => ({ body: goodBody(), event: 'PUSH' }),
      status: 202,
      note: 'event names are lower-case',
    },
    {
      name: 'ignored: tag ref for the same commit',
      delivery: () => ({ body: JSON.stringify({ ...pushOf(), ref: 'refs/tags/v2.0.0' }) }),
      status: 202,
      note: 'deployTags is off',
    },
    { name: 'ignored: untracked branch', delivery: () => ({ body: JSON.stringify(pushOf({ branch: 'release' })) }), status: 202, note: 'only main is tracked' },
    {
      name: 'ignored: untracked repository',
      delivery: () => ({ body: JSON.stringify(pushOf({ repo: 'someone/else' })) }),
      status: 202,
      note: 'only local/manifests is tracked',
    },
    {
      name: 'ignored: repository with a similar name',
      delivery: () => ({ body: JSON.stringify(pushOf({ repo: `${REPO}-fork` })) }),
      status: 202,
      note: 'no prefix matching',
    },
    {
      name: 'fail: signed push with an empty repository',
      delivery: () => ({ body: JSON.stringify({ ...pushOf(), repository: {} }) }),
      status: 400,
      note: 'schema check',
    },
    {
      name: 'ignored: branch deletion of main',
      delivery: () => ({ body: JSON.stringify({ ...pushOf(), deleted: true, after: '0'.repeat(40) }) }),
      status: 202,
      note: 'nothing to deploy',
    },
  ];

  it.each(cases)('$name answers $status and starts no execution', async ({ name, delivery, status, note }) => {
    await summary.track(name, `${status}; ${note}`, async () => {
      const started = executions();

      const res = await deliver(delivery());

      expect(res.status, res.text).toBe(status);
      expect(executions()).toBe(started);
    });
  });

  it('replays: a redelivery of a handled push, and the same signed body under a new delivery id, start nothing more', async () => {
    await summary.track('replay: same delivery id, then new delivery id', '200 redelivery / DUPLICATE', async () => {
      const started = executions();
      const delivery = crypto.randomUUID();
      const body = goodBody();

      const first = await deliver({ body, delivery });
      const { executionArn, deploymentId } = JSON.parse(first.text).apps[0] as { executionArn: string; deploymentId: string };
      // DUPLICATE once Begin has recorded the execution (the next test covers the time before).
      await recorded(deploymentId);
      const again = await deliver({ body, delivery });
      const replayed = await deliver({ body, delivery: crypto.randomUUID() });

      expect(first.status).toBe(200);
      expect(executions()).toBe(started + 1);
      expect(again.status).toBe(200);
      expect(JSON.parse(again.text)).toMatchObject({ status: 'redelivery' });
      expect(replayed.status).toBe(200);
      expect(JSON.parse(replayed.text).apps[0]).toMatchObject({ status: 'DUPLICATE', executionArn });
      await waitFor('approval request', async () => ((await h.stack.core.history.getApproval(deploymentId, 2))?.status === 'OPEN' ? true : undefined), {
        everyMs: 10,
      });
      await h.stack.approvals.approve({ deploymentId, user: 'U-LEAD', via: 'cli', now: new Date() });
      expect((await h.stack.cloud.sfn.waitForExecution(executionArn)).status).toBe('SUCCEEDED');
      expect(executions()).toBe(started + 1);
    });
  });

  it('a redelivery before Begin has recorded the execution answers with that execution and starts no other', async () => {
    await summary.track('replay before Begin ran', '200 STARTED, same execution', async () => {
      const started = executions();
      const path = 'apps/canary/taskdef.yaml';
      const text = await readFile(join(h.repoDir, path), 'utf8');
      const sha = await writeAndCommit(h.repoDir, { [path]: text.replace(/canary:[\w.-]+/, 'canary:3.0.0') }, 'canary: 3.0.0');
      const body = JSON.stringify(pushOf({ before: head, after: sha }));
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      const undo = h.stack.interceptFunction('orchestrate', async (event, context, next) => {
        if ((event as { action?: string }).action === 'begin') await held;
        return next(event, context);
      });
      let deploymentId = '';
      let executionArn = '';
      try {
        const delivery = crypto.randomUUID();
        const first = await deliver({ body, delivery });
        ({ deploymentId, executionArn } = JSON.parse(first.text).apps[0] as { executionArn: string; deploymentId: string });
        expect((await h.stack.core.history.getDeployment(deploymentId))?.executionArn).toBeUndefined();
        // GitHub's redelivery (same id), then a replay under a new id: its plan differs, so
        // StartExecution answers ExecutionAlreadyExists and the webhook describes the execution.
        const replies = [await deliver({ body, delivery }), await deliver({ body, delivery: crypto.randomUUID() })];
        for (const reply of replies) {
          expect(reply.status, reply.text).toBe(200);
          expect(JSON.parse(reply.text).apps).toEqual([expect.objectContaining({ deploymentId, status: 'STARTED', executionArn })]);
        }
        expect(executions()).toBe(started + 1);
      } finally {
        release();
        undo();
      }
      await recorded(deploymentId);
      await waitFor('approval request', async () => ((await h.stack.core.history.getApproval(deploymentId, 2))?.status === 'OPEN' ? true : undefined), {
        everyMs: 10,
      });
      await h.stack.approvals.approve({ deploymentId, user: 'U-LEAD', via: 'cli', now: new Date() });
      expect((await h.stack.cloud.sfn.waitForExecution(executionArn)).status).toBe('SUCCEEDED');
      expect(executions()).toBe(started + 1);
    });
  });
});

/** Resolves once Begin has recorded the deployment's execution. */
function recorded(deploymentId: string) {
  return waitFor(
    `Begin to record the execution of ${deploymentId}`,
    async () => ((await h.stack.core.history.getDeployment(deploymentId))?.executionArn ? true : undefined),
    {
      everyMs: 10,
    },
  );
}
