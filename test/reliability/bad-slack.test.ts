import './support/quiet.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging.js';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { blockActionsPayload, formBody, signedHeaders } from '../support/slack-sign.js';
import { startSlackStandin, type SlackStandin } from '../support/slack-standin.js';
import { createSummary } from './support/summary.js';
import { waitFor } from '../support/waits.js';

/**
 * Bad Slack interactions through the stack's real HTTP front, against a deployment of the approval
 * example (approvers alice, bob, carol; two needed) waiting at stage 1. After each case nothing may
 * have changed that should not: the approval item, the deployment record, the execution status.
 * (test/approval/approval-flow.test.ts covers the handler over a one-state machine; this is end to end.)
 */
const summary = createSummary('bad slack interactions');
let h: StackHarness;
let slack: SlackStandin;
let deploymentId: string;
let executionArn: string;
const STAGE = 1;

beforeAll(async () => {
  slack = await startSlackStandin();
  h = await startStackHarness({ logger: createLogger('reliability', { logLevel: 'SILENT' }) });
  await h.deployBaseline(await exampleFiles(['approval']), 'add approval app');
  const second = await h.bumpImage('approval', '2.0.0');
  deploymentId = second.body.apps![0]!.deploymentId;
  executionArn = second.body.apps![0]!.executionArn!;
  await waitFor('the approval request', async () => ((await h.stack.core.history.getApproval(deploymentId, STAGE))?.status === 'OPEN' ? true : undefined), {
    everyMs: 10,
  });
  // The item is stored before the record says WAITING_APPROVAL; start from the settled state.
  await waitFor('WAITING_APPROVAL', async () => ((await h.stack.core.history.getDeployment(deploymentId))?.status === 'WAITING_APPROVAL' ? true : undefined), {
    everyMs: 10,
  });
});
afterAll(async () => {
  await h?.stop();
  await slack?.close();
});

// Slack signs with real time, whatever the local cloud's fast-forwarded clock says.
const nowSeconds = () => Math.floor(Date.now() / 1000);
let seq = 0;

function clickBody(o: { user: string; action?: 'approve' | 'reject'; id?: string; stage?: number }) {
  return formBody(
    blockActionsPayload({
      user: o.user,
      actionId: o.action === 'reject' ? 'stepcd_reject' : 'stepcd_approve',
      deploymentId: o.id ?? deploymentId,
      stageIndex: o.stage ?? STAGE,
      responseUrl: slack.responseUrl(`r-${++seq}`),
    }),
  );
}

async function post(headers: Record<string, string>, body: string) {
  const res = await fetch(`${h.stack.front.url}/slack/interactions`, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text() };
}

const signed = (body: string, ts = nowSeconds(), secret = h.stack.secrets.slackSigningSecret) => signedHeaders(secret, body, ts);

/** The state that must not move: approval item, record status and votes, execution status. */
async function snapshot() {
  const approval = await h.stack.core.history.getApproval(deploymentId, STAGE);
  const record = await h.stack.core.history.getDeployment(deploymentId);
  return {
    approval: { status: approval?.status, approvedBy: approval?.approvedBy },
    record: { status: record?.status, votes: record?.approvals.map((v) => `${v.user}:${v.decision}`) },
    execution: h.stack.cloud.sfn.describeExecution(executionArn).status,
  };
}

describe('bad Slack interactions end to end', () => {
  const cases: { name: string; note: string; send: () => Promise<{ status: number }>; status: number }[] = [
    {
      name: 'signed with another secret',
      note: 'v0 HMAC mismatch',
      send: () => {
        const b = clickBody({ user: 'alice' });
        return post(signed(b, nowSeconds(), 'not-the-secret'), b);
      },
      status: 401,
    },
    {
      name: 'no signature headers',
      note: 'unsigned',
      send: () => post({ 'content-type': 'application/x-www-form-urlencoded' }, clickBody({ user: 'alice' })),
      status: 401,
    },
    {
      name: 'timestamp 6 minutes old',
      note: 'stale: outside the 5-minute window',
      send: () => {
        const b = clickBody({ user: 'alice' });
        return post(signed(b, nowSeconds() - 6 * 60), b);
      },
      status: 401,
    },
    {
      name: 'timestamp 6 minutes ahead',
      note: 'outside the window either way',
      send: () => {
        const b = clickBody({ user: 'alice' });
        return post(signed(b, nowSeconds() + 6 * 60), b);
      },
      status: 401,
    },
    {
      name: 'body changed after signing (user swapped)',
      note: "mallory rewrites alice's click",
      send: () => {
        const b = clickBody({ user: 'alice' });
        return post(signed(b), b.replace(/alice/gi, 'bob'));
      },
      status: 401,
    },
    {
      name: 'unauthorized user approves',
      note: 'ephemeral refusal; keeps waiting',
      send: () => {
        const b = clickBody({ user: 'mallory' });
        return post(signed(b), b);
      },
      status: 200,
    },
    {
      name: 'unauthorized user rejects',
      note: 'a non-approver cannot reject either',
      send: () => {
        const b = clickBody({ user: 'mallory', action: 'reject' });
        return post(signed(b), b);
      },
      status: 200,
    },
    {
      name: 'forged deployment id',
      note: 'unknown deployment: "already closed"',
      send: () => {
        const b = clickBody({ user: 'alice', id: 'd-00000000000000000000' });
        return post(signed(b), b);
      },
      status: 200,
    },
    {
      name: 'forged stage index',
      note: 'no approval at stage 0',
      send: () => {
        const b = clickBody({ user: 'alice', stage: 0 });
        return post(signed(b), b);
      },
      status: 200,
    },
    {
      name: 'not a block_actions payload',
      note: 'signed junk',
      send: () => {
        const b = 'payload=%7B%22type%22%3A%22nope%22%7D';
        return post(signed(b), b);
      },
      status: 200,
    },
  ];

  it.each(cases)('$name changes nothing', async ({ name, note, send, status }) => {
    await summary.track(name, `${status}; ${note}`, async () => {
      const before = await snapshot();

      const res = await send();

      expect(res.status).toBe(status);
      expect(await snapshot()).toEqual(before);
      expect(before.approval.status).toBe('OPEN');
    });
  });

  it('a double click and a replay count once, and a click after completion is closed', async () => {
    await summary.track('double click, replay, late click', 'one vote per user; 401 replay; closed after SUCCESS', async () => {
      const vote = clickBody({ user: 'alice' });
      const headers = signed(vote);
      expect((await post(headers, vote)).status).toBe(200);
      const replay = await post(headers, vote);
      expect(replay.status).toBe(401);
      const again = clickBody({ user: 'alice' });
      expect((await post(signed(again), again)).status).toBe(200);
      expect(await snapshot()).toMatchObject({ approval: { status: 'OPEN', approvedBy: ['alice'] }, execution: 'RUNNING' });

      const second = clickBody({ user: 'bob' });
      expect((await post(signed(second), second)).status).toBe(200);
      expect((await h.stack.cloud.sfn.waitForExecution(executionArn)).status).toBe('SUCCEEDED');
      const done = await waitFor('SUCCESS', async () => ((await snapshot()).record.status === 'SUCCESS' ? snapshot() : undefined), { everyMs: 10 });
      expect(done.record.votes).toEqual(['alice:APPROVE', 'bob:APPROVE']);

      const late = clickBody({ user: 'carol', action: 'reject' });
      expect((await post(signed(late), late)).status).toBe(200);
      expect(await snapshot()).toEqual(done);
    });
  });
});
