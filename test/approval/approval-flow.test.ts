import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeSlackSignature } from '../../src/slack/signature.js';
import { blockActionsPayload, formBody, signedHeaders } from '../support/slack-sign.js';
import { SIGNING_SECRET, startApprovalHarness, type ApprovalHarness } from '../support/stacks/approval.js';
import { waitUntil } from '../support/waits.js';

/**
 * Signed block_actions clicks through the real slack-interactions handler, the history table on
 * dynalite and the local SFN running a WAIT_APPROVAL task that invokes the real approval-request handler.
 */
let h: ApprovalHarness;

beforeAll(async () => {
  h = await startApprovalHarness();
});
afterAll(async () => {
  await h.close();
});

const status = (arn: string) => h.sfn.describeExecution(arn).status;

describe('approval request', () => {
  it('stores the token only in DynamoDB, marks the deployment waiting and posts buttons without the token', async () => {
    const { plan } = await h.deploy({ approvers: ['U0ALICE'] });
    const approval = await h.history.getApproval(plan.deploymentId, 0);
    expect(approval).toMatchObject({ status: 'OPEN', approvers: ['U0ALICE'], minApproverNum: 1, approvedBy: [] });
    expect(approval?.taskToken).toMatch(/^stepcd-local-token:/);

    const record = await h.history.getDeployment(plan.deploymentId);
    expect(record?.status).toBe('WAITING_APPROVAL');
    expect(record?.stages[0]?.status).toBe('RUNNING');
    expect(record?.notification).toBeDefined();
    expect(h.events.events.find((e) => e.detail.deploymentId === plan.deploymentId)?.detailType).toBe('DEPLOYMENT_WAIT_APPROVAL');

    const posted = h.slack.callsTo('chat.postMessage').filter((c) => c.raw.includes(plan.deploymentId));
    const blocks = JSON.stringify(posted[0]?.body.blocks);
    expect(blocks).toContain('stepcd_approve');
    expect(blocks).toContain('stepcd_reject');
    const thread = h.slack.callsTo('chat.postMessage').find((c) => c.body.thread_ts === record?.notification?.ts);
    expect(thread?.body.text).toContain('<@U0ALICE>');
    for (const call of h.slack.calls) expect(call.raw).not.toContain(approval!.taskToken.split(':')[1]!);
  });
});

describe('Slack interactions', () => {
  it('resumes the execution when an allowed approver approves, and shows who approved', async () => {
    const { plan, executionArn } = await h.deploy({ approvers: ['U0ALICE', 'U0BOB'] });
    const res = await h.click({ user: 'U0BOB', action: 'approve', deploymentId: plan.deploymentId });
    expect(res.statusCode).toBe(200);
    expect(res.reply).toContain('approved by U0BOB');

    const done = await h.sfn.waitForExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '{}').approval).toEqual({ approvedBy: ['U0BOB'] });

    const record = await h.history.getDeployment(plan.deploymentId);
    expect(record?.approvals).toEqual([{ user: 'U0BOB', at: expect.any(String), decision: 'APPROVE', via: 'slack' }]);
    expect((await h.history.getApproval(plan.deploymentId, 0))?.status).toBe('APPROVED');
    const approved = h.events.events.find((e) => e.detailType === 'DEPLOYMENT_APPROVED' && e.detail.deploymentId === plan.deploymentId);
    expect(approved?.detail.approver).toBe('U0BOB');
    const lastUpdate = h.slack
      .callsTo('chat.update')
      .filter((c) => c.body.ts === record?.notification?.ts)
      .at(-1);
    expect(JSON.stringify(lastUpdate?.body.blocks)).toContain('Approved by <@U0BOB>');
    expect(JSON.stringify(lastUpdate?.body.blocks)).not.toContain('stepcd_approve');
  });

  it('fails the task with stepcd.Rejected on reject, and shows who rejected', async () => {
    const { plan, executionArn } = await h.deploy({ approvers: ['U0ALICE'] });
    const res = await h.click({ user: 'U0ALICE', action: 'reject', deploymentId: plan.deploymentId });
    expect(res.reply).toContain('rejected by U0ALICE');

    const done = await h.sfn.waitForExecution(executionArn);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('stepcd.Rejected');
    expect(done.cause).toContain('rejected by U0ALICE');
    const ref = (await h.history.getDeployment(plan.deploymentId))?.notification;
    const lastUpdate = h.slack
      .callsTo('chat.update')
      .filter((c) => c.body.ts === ref?.ts)
      .at(-1);
    expect(JSON.stringify(lastUpdate?.body.blocks)).toContain('Rejected by <@U0ALICE>');
  });

  it('tells a user who is not an approver so, ephemerally, and changes nothing', async () => {
    const { plan, executionArn } = await h.deploy({ approvers: ['U0ALICE'] });
    const res = await h.click({ user: 'U0MALLORY', action: 'approve', deploymentId: plan.deploymentId });
    expect(res.statusCode).toBe(200);
    expect(res.reply).toContain('you are not an approver for web');
    const rejected = await h.click({ user: 'U0MALLORY', action: 'reject', deploymentId: plan.deploymentId });
    expect(rejected.reply).toContain('you are not an approver for web');

    expect(status(executionArn)).toBe('RUNNING');
    expect(await h.history.getApproval(plan.deploymentId, 0)).toMatchObject({ status: 'OPEN', approvedBy: [] });
    expect((await h.history.getDeployment(plan.deploymentId))?.approvals).toEqual([]);
    const reply = h.slack.callsTo('response_url').at(-1)?.body;
    expect(reply).toMatchObject({ response_type: 'ephemeral', replace_original: false });

    await h.service.cancelPending(plan.deploymentId, { by: 'test cleanup' });
    expect((await h.sfn.waitForExecution(executionArn)).error).toBe('stepcd.Cancelled');
  });

  it("lets anyone approve when the approvers list says '*', and nobody when it is empty", async () => {
    const nobody = await h.deploy({ approvers: [] });
    await h.click({ user: 'U0ANYONE', action: 'approve', deploymentId: nobody.plan.deploymentId });
    expect((await h.history.getApproval(nobody.plan.deploymentId, 0))?.status).toBe('OPEN');
    const { plan, executionArn } = await h.deploy({ approvers: ['*'] });
    await h.click({ user: 'U0ANYONE', action: 'approve', deploymentId: plan.deploymentId });
    expect((await h.sfn.waitForExecution(executionArn)).status).toBe('SUCCEEDED');
  });

  it('refuses a bad signature, a stale timestamp and a replay with 401, and the execution keeps waiting', async () => {
    const { plan, executionArn } = await h.deploy({ approvers: ['U0ALICE'] });
    const forged = await h.click({
      user: 'U0ALICE',
      action: 'approve',
      deploymentId: plan.deploymentId,
      sign: (body) => signedHeaders('not-the-secret', body, h.nowSeconds()),
    });
    expect(forged.statusCode).toBe(401);
    const stale = await h.click({
      user: 'U0ALICE',
      action: 'approve',
      deploymentId: plan.deploymentId,
      sign: (body) => signedHeaders(SIGNING_SECRET, body, h.nowSeconds() - 6 * 60),
    });
    expect(stale.statusCode).toBe(401);
    const unsigned = await h.click({ user: 'U0ALICE', action: 'approve', deploymentId: plan.deploymentId, sign: () => ({}) });
    expect(unsigned.statusCode).toBe(401);
    expect(status(executionArn)).toBe('RUNNING');
    expect((await h.history.getApproval(plan.deploymentId, 0))?.status).toBe('OPEN');

    // A genuine request is accepted once; the very same bytes again are a replay.
    const body = formBody(blockActionsPayload({ user: 'U0ALICE', actionId: 'stepcd_approve', deploymentId: plan.deploymentId, stageIndex: 0 }));
    const headers = signedHeaders(SIGNING_SECRET, body, h.nowSeconds());
    expect((await h.post(headers, body)).statusCode).toBe(200);
    const replay = await h.post(headers, body);
    expect(replay.statusCode).toBe(401);
    expect(JSON.parse(replay.body)).toEqual({ error: 'invalid request signature' });
    expect((await h.sfn.waitForExecution(executionArn)).status).toBe('SUCCEEDED');
    expect((await h.history.getDeployment(plan.deploymentId))?.approvals).toHaveLength(1);
  });

  it('counts a double click as one approval and answers the second with "already closed"', async () => {
    const { plan, executionArn } = await h.deploy({ approvers: ['U0ALICE'] });
    const first = await h.click({ user: 'U0ALICE', action: 'approve', deploymentId: plan.deploymentId });
    const second = await h.click({ user: 'U0ALICE', action: 'approve', deploymentId: plan.deploymentId });
    expect(first.reply).toContain('approved by U0ALICE');
    expect(second.reply).toContain('this approval is already closed (approved by U0ALICE)');
    expect((await h.sfn.waitForExecution(executionArn)).status).toBe('SUCCEEDED');
    expect((await h.history.getDeployment(plan.deploymentId))?.approvals).toHaveLength(1);
    expect(h.events.events.filter((e) => e.detailType === 'DEPLOYMENT_APPROVED' && e.detail.deploymentId === plan.deploymentId)).toHaveLength(1);
  });

  it('counts two simultaneous clicks by the same user once', async () => {
    const { plan, executionArn } = await h.deploy({ approvers: ['U0ALICE'] });
    const results = await Promise.all([
      h.click({ user: 'U0ALICE', action: 'approve', deploymentId: plan.deploymentId }),
      h.click({ user: 'U0ALICE', action: 'approve', deploymentId: plan.deploymentId }),
    ]);
    expect(results.map((r) => r.reply ?? '').filter((r) => r.includes(':white_check_mark: approved by U0ALICE'))).toHaveLength(1);
    expect((await h.sfn.waitForExecution(executionArn)).status).toBe('SUCCEEDED');
    expect(await h.history.getApproval(plan.deploymentId, 0)).toMatchObject({ status: 'APPROVED', approvedBy: ['U0ALICE'] });
    expect((await h.history.getDeployment(plan.deploymentId))?.approvals).toHaveLength(1);
  });

  it('resumes exactly once when two final approvals race', async () => {
    const { plan, executionArn } = await h.deploy({ approvers: ['U0ALICE', 'U0BOB'] });
    const results = await Promise.all([
      h.click({ user: 'U0ALICE', action: 'approve', deploymentId: plan.deploymentId }),
      h.click({ user: 'U0BOB', action: 'approve', deploymentId: plan.deploymentId }),
    ]);
    const replies = results.map((r) => r.reply ?? '');
    expect(replies.filter((r) => r.includes(':white_check_mark: approved by'))).toHaveLength(1);
    expect(replies.filter((r) => r.includes('already closed'))).toHaveLength(1);
    expect((await h.sfn.waitForExecution(executionArn)).status).toBe('SUCCEEDED');
    expect(h.events.events.filter((e) => e.detailType === 'DEPLOYMENT_APPROVED' && e.detail.deploymentId === plan.deploymentId)).toHaveLength(1);
  });

  it('waits for a second distinct approver when minApproverNum is 2', async () => {
    const { plan, executionArn } = await h.deploy({ approvers: ['U0ALICE', 'U0BOB', 'U0CAROL'], minApproverNum: 2 });
    const first = await h.click({ user: 'U0ALICE', action: 'approve', deploymentId: plan.deploymentId });
    expect(first.reply).toContain('approval recorded (1/2); waiting for 1 more');
    const again = await h.click({ user: 'U0ALICE', action: 'approve', deploymentId: plan.deploymentId });
    expect(again.reply).toContain('you already approved; waiting for 1 more');
    expect(status(executionArn)).toBe('RUNNING');
    expect(await h.history.getApproval(plan.deploymentId, 0)).toMatchObject({ status: 'OPEN', approvedBy: ['U0ALICE'] });
    const ref = (await h.history.getDeployment(plan.deploymentId))?.notification;
    const update = h.slack
      .callsTo('chat.update')
      .filter((c) => c.body.ts === ref?.ts)
      .at(-1);
    expect(JSON.stringify(update?.body.blocks)).toContain('1/2');
    expect(JSON.stringify(update?.body.blocks)).toContain('stepcd_approve');

    const second = await h.click({ user: 'U0CAROL', action: 'approve', deploymentId: plan.deploymentId });
    expect(second.reply).toContain('approved by U0ALICE, U0CAROL');
    const done = await h.sfn.waitForExecution(executionArn);
    expect(JSON.parse(done.output ?? '{}').approval).toEqual({ approvedBy: ['U0ALICE', 'U0CAROL'] });
    expect((await h.history.getDeployment(plan.deploymentId))?.approvals.map((v) => v.user)).toEqual(['U0ALICE', 'U0CAROL']);
  });

  it('answers a click after the approval timed out with "already closed" and changes nothing', async () => {
    const { plan, executionArn } = await h.deploy({ approvers: ['U0ALICE'], timeoutSeconds: 1 });
    const done = await h.sfn.waitForExecution(executionArn);
    expect(done.error).toBe('States.Timeout');
    // The endpoint's clock is past the approval's expiry, as it is for any click after the timeout.
    h.advance(2_000);
    const late = await h.click({ user: 'U0ALICE', action: 'approve', deploymentId: plan.deploymentId });
    h.advance(-2_000);
    expect(late.reply).toContain('this approval is already closed (timed out)');
    expect(await h.history.getApproval(plan.deploymentId, 0)).toMatchObject({ status: 'OPEN', approvedBy: [] });
    expect((await h.history.getDeployment(plan.deploymentId))?.approvals).toEqual([]);
  });

  it('answers a click on another deployment\'s stale message with "already closed"', async () => {
    const old = await h.deploy({ approvers: ['U0ALICE'] });
    await h.click({ user: 'U0ALICE', action: 'reject', deploymentId: old.plan.deploymentId });
    await h.sfn.waitForExecution(old.executionArn);
    const current = await h.deploy({ approvers: ['U0ALICE'] });

    const stale = await h.click({ user: 'U0ALICE', action: 'approve', deploymentId: old.plan.deploymentId });
    expect(stale.reply).toContain('this approval is already closed (rejected by U0ALICE)');
    expect(status(current.executionArn)).toBe('RUNNING');
    expect((await h.history.getApproval(current.plan.deploymentId, 0))?.status).toBe('OPEN');
    await h.service.cancelPending(current.plan.deploymentId);
    await waitUntil(
      `${current.executionArn} to end`,
      () => status(current.executionArn),
      (s) => s !== 'RUNNING',
      { timeoutMs: 10_000, everyMs: 5 },
    );
  });

  it('ignores buttons of other apps with an empty 200', async () => {
    const body = formBody(blockActionsPayload({ user: 'U0ALICE', actionId: 'someone_elses_button', deploymentId: 'x', stageIndex: 0 }));
    const ts = String(h.nowSeconds());
    const res = await h.post({ 'x-slack-request-timestamp': ts, 'x-slack-signature': computeSlackSignature(SIGNING_SECRET, ts, body) }, body);
    expect(res).toEqual({ statusCode: 200, body: '' });
  });
});

describe('ApprovalService from the CLI', () => {
  it('approves the open approval of a deployment without a stage index', async () => {
    const { plan, executionArn } = await h.deploy({ approvers: ['U0ALICE'] });
    const result = await h.service.approve({ deploymentId: plan.deploymentId, user: 'U0ALICE', via: 'cli', now: new Date() });
    expect(result).toMatchObject({ kind: 'approved', approvedBy: ['U0ALICE'] });
    expect((await h.sfn.waitForExecution(executionArn)).status).toBe('SUCCEEDED');
    expect((await h.history.getDeployment(plan.deploymentId))?.approvals[0]?.via).toBe('cli');
  });

  it('cancels a pending approval with stepcd.Cancelled, and a later click is closed', async () => {
    const { plan, executionArn } = await h.deploy({ approvers: ['U0ALICE'] });
    expect(await h.service.cancelPending(plan.deploymentId, { by: 'U0OPS' })).toBe(1);
    const done = await h.sfn.waitForExecution(executionArn);
    expect(done.error).toBe('stepcd.Cancelled');
    const late = await h.service.approve({ deploymentId: plan.deploymentId, user: 'U0ALICE', via: 'cli', now: new Date() });
    expect(late).toEqual({ kind: 'closed', message: 'this approval is already closed (cancelled by U0OPS)' });
    expect(await h.service.cancelPending(plan.deploymentId)).toBe(0);
  });

  it('fails the token at once when the deployment was cancelled before the approval was requested', async () => {
    const { plan, executionArn } = await h.deploy({ approvers: ['U0ALICE'], cancelRequested: true });
    const done = await h.sfn.waitForExecution(executionArn);
    expect(done.error).toBe('stepcd.Cancelled');
    expect((await h.history.getApproval(plan.deploymentId, 0))?.status).toBe('CANCELLED');
  });

  it('a cancel settles a queue token from a replaced state machine as gone, rather than failing', async () => {
    // The local SFN, as SFN does, answers InvalidToken for a token it never issued.
    const app = `stale-${Date.now()}`;
    await h.history.enqueue(app, 'd-stale');
    expect(await h.history.setQueueToken(app, 'd-stale', 'a-token-of-a-replaced-state-machine')).toBe(true);
    await expect(h.service.resumeQueued(app, 'd-stale')).resolves.toBe(false);
  });

  it('says there is nothing to approve for an unknown deployment', async () => {
    const result = await h.service.reject({ deploymentId: 'nope', user: 'U0ALICE', via: 'cli', now: new Date() });
    expect(result.kind).toBe('closed');
  });
});
