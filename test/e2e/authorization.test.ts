import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSummary } from '../reliability/support/summary.js';
import { endpointsOf, writeLocalEndpoints } from '../../src/cli/local-state.js';
import { LOCAL_CALLER_ARN } from '../../src/local/sts/index.js';
import { createLogger } from '../../src/logging.js';
import { runCli } from '../cli/support.js';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { waitFor } from '../support/waits.js';
import { blockActionsPayload, formBody, signedHeaders } from '../support/slack-sign.js';

/** The canary pipeline with its approval stage's `approvers` line as given (or none). */
function withApprovers(manifest: string, line: string | undefined): string {
  return manifest.replace('      - name: WAIT_APPROVAL\n        with:\n', `      - name: WAIT_APPROVAL\n        with:\n${line ? `          ${line}\n` : ''}`);
}

type Rule = 'stage [U0LEAD]' | 'none (stack allowlist [U0OPS])' | "['*']";
const RULES: Record<Rule, string | undefined> = {
  'stage [U0LEAD]': 'approvers: [U0LEAD]',
  'none (stack allowlist [U0OPS])': undefined,
  "['*']": "approvers: ['*']",
};

/**
 * Issue 12 (5), who may act, as a table through the real stack: the Slack route (signed clicks),
 * the CLI (`stepcd approve|reject|cancel --local`, whose actor is the STS caller identity) and the
 * webhook (a stage with no approvers and no allowlist). Each row deploys the canary app under one
 * approver rule, acts once, and checks what happened and who was recorded.
 */
const summary = createSummary('issue 12: authorization table');

describe('authorization table: who may approve, reject and cancel', () => {
  let h: StackHarness;
  let cwd: string;
  let manifest: string;
  let tag = 0;

  beforeAll(async () => {
    h = await startStackHarness({ approvers: ['U0OPS'], logger: createLogger('test', { logLevel: 'SILENT' }) });
    cwd = await mkdtemp(join(tmpdir(), 'stepcd-authz-'));
    await writeLocalEndpoints(cwd, endpointsOf(h.stack, { repoDir: h.repoDir, pid: process.pid }));
    const files = await exampleFiles(['canary']);
    manifest = files['apps/canary/app.pipecd.yaml']!;
    await h.deployBaseline(files, 'add canary');
  });
  afterAll(async () => {
    await h?.stop();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  async function waitingUnder(rule: Rule) {
    tag += 1;
    const { id, arn } = await h.deploy({ ...(await h.imageBump('canary', `8.${tag}.0`)), 'apps/canary/app.pipecd.yaml': withApprovers(manifest, RULES[rule]) });
    await h.waitForStatus(id, 'WAITING_APPROVAL');
    return { id, arn };
  }

  async function slackClick(user: string, action: 'approve' | 'reject' | 'cancel', deploymentId: string): Promise<string> {
    const body = formBody(blockActionsPayload({ user, actionId: `stepcd_${action}`, deploymentId, stageIndex: 2 }));
    const headers = signedHeaders(h.stack.secrets.slackSigningSecret, body, Math.floor(Date.now() / 1000));
    const res = await fetch(`${h.stack.front.url}/slack/interactions`, { method: 'POST', headers, body });
    expect(res.status).toBe(200);
    return ((await res.json()) as { text: string }).text;
  }

  const cli = (...argv: string[]) => runCli([...argv, '--local'], { cwd });
  const record = async (id: string) => (await h.stack.core.history.getDeployment(id))!;
  const ended = (id: string) =>
    waitFor(
      `${id} to end`,
      async () => {
        const r = await record(id);
        return ['SUCCESS', 'FAILURE', 'CANCELLED'].includes(r.status) ? r : undefined;
      },
      { timeoutMs: 30_000 },
    );
  /** Refused: nothing changed, the deployment still waits for its approval. */
  async function expectStillWaiting(id: string) {
    expect((await record(id)).status).toBe('WAITING_APPROVAL');
    expect((await h.stack.core.history.getApproval(id, 2))?.status).toBe('OPEN');
    expect((await record(id)).cancelRequested ?? false).toBe(false);
  }

  interface Row {
    rule: Rule;
    via: 'slack' | 'cli';
    actor: string;
    action: 'approve' | 'reject' | 'cancel';
    outcome: 'SUCCESS' | 'FAILURE' | 'CANCELLED' | 'refused';
    recorded?: string;
  }

  const TABLE: Row[] = [
    { rule: 'stage [U0LEAD]', via: 'slack', actor: 'U0LEAD', action: 'approve', outcome: 'SUCCESS', recorded: 'U0LEAD' },
    { rule: 'stage [U0LEAD]', via: 'slack', actor: 'U0OPS', action: 'approve', outcome: 'refused' },
    { rule: 'stage [U0LEAD]', via: 'slack', actor: 'U0MALLORY', action: 'reject', outcome: 'refused' },
    { rule: 'stage [U0LEAD]', via: 'slack', actor: 'U0LEAD', action: 'reject', outcome: 'FAILURE', recorded: 'U0LEAD' },
    { rule: 'stage [U0LEAD]', via: 'slack', actor: 'U0MALLORY', action: 'cancel', outcome: 'refused' },
    { rule: 'stage [U0LEAD]', via: 'slack', actor: 'U0LEAD', action: 'cancel', outcome: 'CANCELLED', recorded: 'U0LEAD' },
    { rule: 'none (stack allowlist [U0OPS])', via: 'slack', actor: 'U0OPS', action: 'approve', outcome: 'SUCCESS', recorded: 'U0OPS' },
    { rule: 'none (stack allowlist [U0OPS])', via: 'slack', actor: 'U0MALLORY', action: 'approve', outcome: 'refused' },
    { rule: 'none (stack allowlist [U0OPS])', via: 'slack', actor: 'U0MALLORY', action: 'cancel', outcome: 'refused' },
    { rule: 'none (stack allowlist [U0OPS])', via: 'slack', actor: 'U0OPS', action: 'cancel', outcome: 'CANCELLED', recorded: 'U0OPS' },
    { rule: "['*']", via: 'slack', actor: 'U0ANYONE', action: 'approve', outcome: 'SUCCESS', recorded: 'U0ANYONE' },
    { rule: 'stage [U0LEAD]', via: 'cli', actor: 'ANYONE', action: 'approve', outcome: 'SUCCESS', recorded: LOCAL_CALLER_ARN },
    { rule: 'stage [U0LEAD]', via: 'cli', actor: 'ANYONE', action: 'reject', outcome: 'FAILURE', recorded: LOCAL_CALLER_ARN },
    { rule: 'stage [U0LEAD]', via: 'cli', actor: 'ANYONE', action: 'cancel', outcome: 'CANCELLED', recorded: LOCAL_CALLER_ARN },
  ];

  it.each(TABLE)('$via $action by $actor under approvers $rule → $outcome', async ({ rule, via, actor, action, outcome, recorded }) => {
    await summary.track(`${via} ${action} by ${actor} under ${rule}`, outcome, async () => {
      const { id } = await waitingUnder(rule);
      if (via === 'slack') {
        const text = await slackClick(actor, action, id);
        if (outcome === 'refused') expect(text).toMatch(/^:lock: you (are not an approver|may not cancel deployments) (for|of) canary$/);
      } else {
        const r = await cli(action, id, '--as', actor);
        expect(r.code).toBe(0);
      }
      if (outcome === 'refused') {
        await expectStillWaiting(id);
        // Clean up so the next row finds the app free: an allowed approver rejects.
        await slackClick(rule === 'stage [U0LEAD]' ? 'U0LEAD' : 'U0OPS', 'reject', id);
        await ended(id);
        return;
      }
      const end = await ended(id);
      expect(end.status).toBe(outcome);
      if (action === 'cancel') expect(end.cancelRequestedBy).toBe(recorded);
      else expect(end.approvals.map((v) => [v.user, v.as, v.via])).toEqual([[recorded, via === 'cli' ? actor : undefined, via]]);
    });
  });

  it("refuses at push a WAIT_APPROVAL with no approvers when the stack has no allowlist, unless it says approvers: ['*']", async () => {
    await summary.track('no approvers and no allowlist', 'TRIGGER_FAILED at push', async () => {
      const bare = await startStackHarness({ approvers: [], logger: createLogger('test', { logLevel: 'SILENT' }) });
      try {
        const files = await exampleFiles(['canary']);
        const res = await bare.push(files, 'canary with an approval nobody may answer');
        expect(res.status).toBe(200);
        expect(res.body.apps?.[0]).toMatchObject({
          status: 'TRIGGER_FAILED',
          errors: [
            "apps/canary/app.pipecd.yaml: spec.pipeline.stages[2].with.approvers is empty and the stack has no approver allowlist (STEPCD_APPROVERS): name the Slack users who may approve, or say approvers: ['*'] to let anyone",
          ],
        });
        const star = await bare.push(
          { 'apps/canary/app.pipecd.yaml': withApprovers(files['apps/canary/app.pipecd.yaml']!, "approvers: ['*']") },
          "approvers: ['*']",
        );
        expect(star.body.apps?.[0]?.status).toBe('STARTED');
      } finally {
        await bare.stop();
      }
    });
  });
});
