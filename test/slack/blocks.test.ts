import { namesNotArns } from '../../src/slack/blocks.js';
import { describe, expect, it } from 'vitest';
import { decodeButtonValue, encodeButtonValue } from '../../src/slack/actions.js';
import { closedApprovalText, formatDuration, mentionsFor, renderDeploymentMessage, toApprovalView, type ApprovalView } from '../../src/slack/blocks.js';
import type { ApprovalRecord } from '../../src/domain/deployment.js';
import { sampleRecord } from './fixtures.js';

const NOW = '2026-01-01T00:04:30.000Z';

const openApproval: ApprovalView = {
  deploymentId: 'dep-0001',
  stageIndex: 2,
  approvers: ['U0ALICE', 'U0BOB'],
  minApproverNum: 2,
  approvedBy: ['U0ALICE'],
  status: 'OPEN',
  createdAt: '2026-01-01T00:03:00.000Z',
  expiresAt: '2026-01-01T06:03:00.000Z',
};

function allText(value: unknown): string {
  return JSON.stringify(value);
}

describe('renderDeploymentMessage', () => {
  it('shows the app, a linked commit, the author, the labels and a stage checklist with durations', () => {
    const { blocks, text } = renderDeploymentMessage(sampleRecord(), [], { now: NOW, interactive: true });
    const json = allText(blocks);
    expect(text).toContain('web');
    expect(json).toContain('<https://github.com/acme/deploys/commit/0123456789abcdef0123456789abcdef01234567|0123456>');
    expect(json).toContain('alice');
    expect(json).toContain('`env=dev`');
    expect(json).toContain(':white_check_mark: 1. *ECS_CANARY_ROLLOUT* done (2m05s)');
    expect(json).toContain(':fast_forward: 2. *ECS_TRAFFIC_ROUTING* skipped');
    expect(json).toContain(':hourglass_flowing_sand: 3. *WAIT_APPROVAL* running (1m30s)');
    expect(json).toContain(':white_circle: 4. *ECS_PRIMARY_ROLLOUT* pending');
  });

  it('escapes user text so a commit message cannot form links or mentions', () => {
    const { blocks } = renderDeploymentMessage(sampleRecord(), [], { now: NOW, interactive: true });
    const json = allText(blocks);
    expect(json).toContain('Ship &lt;script&gt; &amp; friends');
    expect(json).not.toContain('<script>');
    expect(json).toContain('team=a&lt;b');
  });

  it('adds Approve and Reject buttons carrying only the deployment id and stage index', () => {
    const { blocks } = renderDeploymentMessage(sampleRecord(), [openApproval], { now: NOW, interactive: true });
    const actions = blocks.find((b) => b.type === 'actions');
    expect(actions).toBeDefined();
    const elements = (actions as { elements: { action_id: string; value: string; style: string }[] }).elements;
    expect(elements.map((e) => [e.action_id, e.style])).toEqual([
      ['stepcd_approve', 'primary'],
      ['stepcd_reject', 'danger'],
    ]);
    for (const e of elements) expect(JSON.parse(e.value)).toEqual({ d: 'dep-0001', s: 2 });
    expect(allText(blocks)).toContain('<@U0ALICE>, <@U0BOB>');
    expect(allText(blocks)).toContain('1/2');
  });

  it('renders no buttons when the message cannot be interactive, and points to the CLI instead', () => {
    const { blocks } = renderDeploymentMessage(sampleRecord(), [openApproval], { now: NOW, interactive: false });
    expect(blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(allText(blocks)).toContain('stepcd approve dep-0001');
  });

  it('shows who approved once the approval is closed, without approval buttons (Cancel stays while it runs)', () => {
    const closed: ApprovalView = { ...openApproval, status: 'APPROVED', approvedBy: ['U0ALICE', 'U0BOB'], closedBy: 'U0BOB' };
    const { blocks } = renderDeploymentMessage(sampleRecord(), [closed], { now: NOW, interactive: true });
    expect(actionIds(blocks)).toEqual(['stepcd_cancel']);
    expect(allText(blocks)).toContain('Approved by <@U0ALICE>, <@U0BOB>');
  });

  it('ends with the final status and the reason', () => {
    const record = sampleRecord({ status: 'FAILURE', reason: 'rejected by U0BOB' });
    const { blocks } = renderDeploymentMessage(record, [], { now: NOW, interactive: true });
    expect(allText(blocks.at(-2))).toContain('*Result:* :x: Failed — rejected by U0BOB');
  });

  it('offers Cancel while the deployment runs or waits, asks to confirm Cancel and Reject, and drops Cancel once it ends or rolls back', () => {
    const { blocks } = renderDeploymentMessage(sampleRecord({ status: 'WAITING_APPROVAL' }), [openApproval], { now: NOW, interactive: true });
    const buttons = blocks.flatMap((b) => (b.type === 'actions' ? (b.elements as { action_id: string; confirm?: unknown }[]) : []));
    expect(buttons.map((b) => [b.action_id, b.confirm !== undefined])).toEqual([
      ['stepcd_approve', false],
      ['stepcd_reject', true],
      ['stepcd_cancel', true],
    ]);
    for (const status of ['ROLLING_BACK', 'SUCCESS', 'FAILURE', 'CANCELLED'] as const) {
      expect(actionIds(renderDeploymentMessage(sampleRecord({ status }), [], { now: NOW, interactive: true }).blocks), status).toEqual([]);
    }
    expect(actionIds(renderDeploymentMessage(sampleRecord({ status: 'RUNNING' }), [], { now: NOW, interactive: false }).blocks)).toEqual([]);
  });

  it('never renders a task token, because views cannot hold one', () => {
    const withToken: ApprovalRecord = { ...openApproval, taskToken: 'AQCEAAAAKgAAAA-secret-token' };
    const view = toApprovalView(withToken);
    expect('taskToken' in view).toBe(false);
    const { blocks } = renderDeploymentMessage(sampleRecord(), [view], { now: NOW, interactive: true });
    expect(allText(blocks)).not.toContain('secret-token');
  });
});

describe('closedApprovalText', () => {
  it.each([
    ['APPROVED', 'Approved by <@U1>'],
    ['REJECTED', 'Rejected by <@U2>'],
    ['TIMED_OUT', 'timed out'],
    ['CANCELLED', 'cancelled'],
    ['CLOSED', 'the deployment ended'],
  ] as const)('success: %s reads "%s"', (status, expected) => {
    expect(closedApprovalText({ status, approvedBy: ['U1'], closedBy: 'U2' })).toContain(expected);
  });
});

describe('mentionsFor', () => {
  const mentions = [
    { event: 'DEPLOYMENT_WAIT_APPROVAL', slackUsers: ['U0OPS'], slackGroups: [] },
    { event: 'EVENT_DEPLOYMENT_FAILED', slackUsers: [], slackGroups: ['S0ONCALL'] },
    { event: '*', slackUsers: ['U0LEAD'], slackGroups: [] },
  ];

  it.each([
    ['DEPLOYMENT_WAIT_APPROVAL', ['<@U0OPS>', '<@U0LEAD>']],
    ['DEPLOYMENT_FAILED', ['<!subteam^S0ONCALL>', '<@U0LEAD>']],
    ['DEPLOYMENT_SUCCEEDED', ['<@U0LEAD>']],
  ])('success: %s mentions %j', (event, expected) => {
    expect(mentionsFor(mentions, event)).toEqual(expected);
  });

  it('mentions nobody when no entry matches', () => {
    expect(mentionsFor([{ event: 'DEPLOYMENT_FAILED', slackUsers: ['U1'], slackGroups: [] }], 'DEPLOYMENT_STARTED')).toEqual([]);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [45_000, '45s'],
    [125_000, '2m05s'],
    [3_720_000, '1h02m'],
  ])('success: %d ms reads %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});

describe('button values', () => {
  it('round-trip the deployment id and stage index', () => {
    expect(decodeButtonValue(encodeButtonValue({ deploymentId: 'd-1', stageIndex: 3 }))).toEqual({ deploymentId: 'd-1', stageIndex: 3 });
  });

  it.each(['not json', '{"d":"x"}', '{"d":"","s":1}', '{"d":"x","s":-1}', '{"d":"x","s":1.5}', 'null'])('fail: %s is refused', (value) => {
    expect(decodeButtonValue(value)).toBeUndefined();
  });
});

function actionIds(blocks: readonly { type: string }[]): string[] {
  return blocks.flatMap((b) => (b.type === 'actions' ? (b as unknown as { elements: { action_id: string }[] }).elements.map((e) => e.action_id) : []));
}

describe('who the approval asks', () => {
  it.each([
    ["anyone under approvers: ['*']", ['*'], 'from anyone'],
    ['the group as a mention', ['S0ONCALL', 'U0ALICE'], 'from <!subteam^S0ONCALL>, <@U0ALICE>'],
  ])('success: %s', (_name, approvers, text) => {
    const { blocks } = renderDeploymentMessage(sampleRecord({ status: 'WAITING_APPROVAL' }), [{ ...openApproval, approvers }], { now: NOW, interactive: true });
    expect(allText(blocks)).toContain(text);
  });
});

describe('namesNotArns', () => {
  it.each([
    [
      'a target group',
      'no healthy targets in arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/canary-primary/517a9ae02fe8ba58',
      'no healthy targets in canary-primary',
    ],
    [
      'a task definition',
      '100% of traffic on arn:aws:ecs:us-east-1:000000000000:task-definition/web:7 (deployment d-1)',
      '100% of traffic on web:7 (deployment d-1)',
    ],
    ['a service', 'service arn:aws:ecs:eu-west-1:123456789012:service/demo/web is DRAINING', 'service web is DRAINING'],
    [
      'a listener rule',
      'set arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/demo-alb/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee',
      'set listener-rule of demo-alb',
    ],
    ['text without ARNs', 'rejected by U0LEAD: not today', 'rejected by U0LEAD: not today'],
  ])('success: %s', (_name, text, expected) => {
    expect(namesNotArns(text)).toBe(expected);
  });

  it('shows names in the checklist and the result, and the reason says "rolled back" once', () => {
    const record = sampleRecord({
      status: 'FAILURE',
      reason: 'rejected by U0BOB; rolled back: 100% of traffic on arn:aws:ecs:us-east-1:000000000000:task-definition/web:7 (deployment d-1)',
    });
    const text = allText(renderDeploymentMessage(record, [], { now: NOW, interactive: true }).blocks);
    expect(text).toContain('rolled back: 100% of traffic on web:7');
    expect(text).not.toContain('arn:aws:ecs');
    expect(text).not.toContain('rolled back: rolled back:');
  });
});
