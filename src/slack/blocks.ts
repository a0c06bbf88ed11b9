import type { KnownBlock } from '@slack/types';
import type { ApprovalRecord, DeploymentRecord, DeploymentStatus, StageRecord, StageStatus } from '../domain/deployment.js';
import { FINAL_STATUSES } from '../domain/deployment.js';
import type { Mention } from '../domain/plan.js';
import { ACTION_APPROVE, ACTION_CANCEL, ACTION_REJECT, encodeButtonValue } from './actions.js';

/**
 * Pure Block Kit rendering of the one Slack message kept per deployment. Everything shown is derived
 * from the deployment record plus token-free approval views, so any caller (the orchestration, the
 * approval request Lambda, the interactions Lambda) re-renders the same message from history.
 */

/** An approval as Slack may see it: the task token is dropped by construction. */
export type ApprovalView = Omit<ApprovalRecord, 'taskToken'>;

export function toApprovalView(record: ApprovalRecord): ApprovalView {
  const { taskToken: _token, ...view } = record;
  return view;
}

export interface RenderOptions {
  /** ISO time used for the running stage's duration. */
  now: string;
  /** false for incoming webhooks, which cannot receive button clicks. */
  interactive: boolean;
  /** The dashboard's base URL: the deployment id links to its page there, else to the execution. */
  dashboardUrl?: string | undefined;
}

export interface SlackMessage {
  /** Fallback text for notifications and screen readers. */
  text: string;
  blocks: KnownBlock[];
}

const STATUS_LABEL: Record<DeploymentStatus, string> = {
  PENDING: ':clock3: Pending',
  RUNNING: ':arrows_counterclockwise: Running',
  WAITING_APPROVAL: ':raised_hand: Waiting for approval',
  ROLLING_BACK: ':rewind: Rolling back',
  SUCCESS: ':white_check_mark: Succeeded',
  FAILURE: ':x: Failed',
  CANCELLED: ':no_entry_sign: Cancelled',
  SUPERSEDED: ':fast_forward: Superseded',
  TRIGGER_FAILED: ':warning: Trigger failed',
};

const STAGE_MARK: Record<StageStatus, string> = {
  NOT_STARTED: ':white_circle:',
  RUNNING: ':hourglass_flowing_sand:',
  SUCCESS: ':white_check_mark:',
  FAILURE: ':x:',
  SKIPPED: ':fast_forward:',
  CANCELLED: ':no_entry_sign:',
};

const STAGE_WORD: Record<StageStatus, string> = {
  NOT_STARTED: 'pending',
  RUNNING: 'running',
  SUCCESS: 'done',
  FAILURE: 'failed',
  SKIPPED: 'skipped',
  CANCELLED: 'cancelled',
};

export function renderDeploymentMessage(record: DeploymentRecord, approvals: readonly ApprovalView[], opts: RenderOptions): SlackMessage {
  const status = STATUS_LABEL[record.status];
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${record.app.name} · ${stripEmojiCodes(status)}`, 150), emoji: true } },
    { type: 'section', fields: summaryFields(record) },
    { type: 'section', text: { type: 'mrkdwn', text: stageChecklist(record.stages, opts.now) } },
  ];
  for (const approval of approvals) blocks.push(...approvalBlocks(record, approval, opts));
  if (opts.interactive && isCancellable(record.status)) blocks.push(cancelBlock(record));
  if (isFinal(record.status)) {
    const reason = record.reason ? ` — ${escape(namesNotArns(record.reason))}` : '';
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(`*Result:* ${status}${reason}`, 3000) } });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: deploymentRef(record, opts.dashboardUrl) }] });
  return { text: `${record.app.name}: ${stripEmojiCodes(status)} (${shortSha(record.commit.sha)})`, blocks };
}

/** The deployment id, linked to its dashboard page when there is one, else to its execution. */
function deploymentRef(record: DeploymentRecord, dashboardUrl: string | undefined): string {
  const url = dashboardUrl ? `${dashboardUrl}/deployments/${encodeURIComponent(record.deploymentId)}` : executionConsoleUrl(record.executionArn);
  return url ? `<${url}|deployment ${escape(record.deploymentId)}>` : `deployment \`${escape(record.deploymentId)}\``;
}

/** The AWS console page of a Step Functions execution (its region is in its ARN). */
export function executionConsoleUrl(executionArn: string | undefined): string | undefined {
  const region = executionArn?.split(':')[3];
  if (!executionArn || !region) return undefined;
  return `https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`;
}

function summaryFields(record: DeploymentRecord): { type: 'mrkdwn'; text: string }[] {
  const { commit } = record;
  const subject = escape(firstLine(commit.message));
  const sha = shortSha(commit.sha);
  const commitText = commit.url ? `<${commit.url}|${sha}> ${subject}` : `\`${sha}\` ${subject}`;
  const labels = Object.entries(record.app.labels)
    .map(([k, v]) => `\`${escape(k)}=${escape(v)}\``)
    .join(' ');
  return [
    { type: 'mrkdwn', text: `*App*\n${escape(record.app.name)}` },
    { type: 'mrkdwn', text: truncate(`*Commit*\n${commitText}`, 2000) },
    { type: 'mrkdwn', text: `*Author*\n${escape(commit.author)}` },
    { type: 'mrkdwn', text: truncate(`*Labels*\n${labels || '_none_'}`, 2000) },
  ];
}

/** One line per stage: mark, index, name, status word, duration and detail. */
export function stageChecklist(stages: readonly StageRecord[], now: string): string {
  if (stages.length === 0) return '_no stages_';
  const lines = stages.map((stage) => {
    const duration = stageDuration(stage, now);
    const detail = stage.detail ? ` — ${escape(namesNotArns(firstLine(stage.detail)))}` : '';
    return `${STAGE_MARK[stage.status]} ${stage.index + 1}. *${stage.name}* ${STAGE_WORD[stage.status]}${duration ? ` (${duration})` : ''}${detail}`;
  });
  return truncate(lines.join('\n'), 3000);
}

function stageDuration(stage: StageRecord, now: string): string | undefined {
  if (!stage.startedAt) return undefined;
  const end = stage.endedAt ?? (stage.status === 'RUNNING' ? now : undefined);
  if (!end) return undefined;
  return formatDuration(Date.parse(end) - Date.parse(stage.startedAt));
}

/** `45s`, `2m05s`, `1h02m`: short enough for a checklist line. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

function approvalBlocks(record: DeploymentRecord, approval: ApprovalView, opts: RenderOptions): KnownBlock[] {
  const who =
    approval.approvers.length === 0
      ? 'nobody (no approvers configured)'
      : approval.approvers.includes('*')
        ? 'anyone'
        : approval.approvers.map(approverMention).join(', ');
  const count = `${approval.approvedBy.length}/${approval.minApproverNum}`;
  const stageName = `stage ${approval.stageIndex + 1}`;
  if (approval.status === 'OPEN') {
    const soFar = approval.approvedBy.length > 0 ? `\nApproved so far: ${approval.approvedBy.map(userMention).join(', ')}` : '';
    const how = opts.interactive
      ? ''
      : `\nApprove with \`stepcd approve ${escape(record.deploymentId)}\` or reject with \`stepcd reject ${escape(record.deploymentId)}\`.`;
    const blocks: KnownBlock[] = [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `:raised_hand: *Approval needed* (${stageName}, ${count}) from ${who}, until ${slackDate(approval.expiresAt)}.${soFar}${how}`,
        },
      },
    ];
    if (opts.interactive) {
      const value = encodeButtonValue({ deploymentId: record.deploymentId, stageIndex: approval.stageIndex });
      blocks.push({
        type: 'actions',
        block_id: `stepcd_approval_${approval.stageIndex}`,
        elements: [
          { type: 'button', action_id: ACTION_APPROVE, style: 'primary', text: { type: 'plain_text', text: 'Approve' }, value },
          {
            type: 'button',
            action_id: ACTION_REJECT,
            style: 'danger',
            text: { type: 'plain_text', text: 'Reject' },
            value,
            confirm: confirmDialog('Reject this deployment?', `${record.app.name} ${shortSha(record.commit.sha)} rolls back.`, 'Reject'),
          },
        ],
      });
    }
    return blocks;
  }
  return [{ type: 'section', text: { type: 'mrkdwn', text: `${closedApprovalText(approval)} (${stageName})` } }];
}

/** While a deployment runs or waits, its message offers Cancel (the app's approver rule applies). */
function isCancellable(status: DeploymentStatus): boolean {
  return status === 'PENDING' || status === 'RUNNING' || status === 'WAITING_APPROVAL';
}

function cancelBlock(record: DeploymentRecord): KnownBlock {
  const running = record.stages.find((s) => s.status === 'RUNNING')?.index ?? 0;
  return {
    type: 'actions',
    block_id: 'stepcd_cancel',
    elements: [
      {
        type: 'button',
        action_id: ACTION_CANCEL,
        text: { type: 'plain_text', text: 'Cancel deployment' },
        value: encodeButtonValue({ deploymentId: record.deploymentId, stageIndex: running }),
        confirm: confirmDialog(
          'Cancel this deployment?',
          `${record.app.name} ${shortSha(record.commit.sha)} stops within one check, rolls back and ends CANCELLED.`,
          'Cancel deployment',
        ),
      },
    ],
  };
}

/** Slack's confirmation dialog: a destructive click asks first. */
function confirmDialog(title: string, text: string, confirm: string) {
  return {
    title: { type: 'plain_text' as const, text: truncate(title, 100) },
    text: { type: 'plain_text' as const, text: truncate(text, 300) },
    confirm: { type: 'plain_text' as const, text: confirm },
    deny: { type: 'plain_text' as const, text: 'Keep it' },
    style: 'danger' as const,
  };
}

/** How a closed approval reads, both in the message and in the "already closed" answer. */
export function closedApprovalText(approval: Pick<ApprovalView, 'status' | 'approvedBy' | 'closedBy'>): string {
  switch (approval.status) {
    case 'APPROVED':
      return `:white_check_mark: Approved by ${approval.approvedBy.map(userMention).join(', ') || 'nobody'}`;
    case 'REJECTED':
      return `:x: Rejected by ${approval.closedBy ? userMention(approval.closedBy) : 'someone'}`;
    case 'TIMED_OUT':
      return ':alarm_clock: Approval timed out';
    case 'CANCELLED':
      return `:no_entry_sign: Approval cancelled${approval.closedBy ? ` by ${escape(approval.closedBy)}` : ''}`;
    case 'CLOSED':
      return ':lock: Approval closed: the deployment ended';
    case 'OPEN':
      return ':raised_hand: Approval open';
  }
}

/**
 * The mentions `notification.mentions` asks for on `event` (a DetailType such as
 * DEPLOYMENT_WAIT_APPROVAL). Entries may name the event with or without PipeCD's `EVENT_` prefix, or "*".
 */
export function mentionsFor(mentions: readonly Mention[], event: string): string[] {
  const out = new Set<string>();
  for (const m of mentions) {
    const name = m.event.replace(/^EVENT_/, '');
    if (name !== '*' && name !== event) continue;
    for (const u of m.slackUsers) out.add(userMention(u));
    for (const g of m.slackGroups) out.add(`<!subteam^${g}>`);
  }
  return [...out];
}

/** An approver entry: a Slack user group (S…) mentions the group; anything else as `userMention`. */
function approverMention(id: string): string {
  return /^S[A-Z0-9]+$/.test(id) ? `<!subteam^${id}>` : userMention(id);
}

/** Slack user ids render as mentions; anything else (a CLI user name) is shown as text. */
export function userMention(user: string): string {
  return /^[UW][A-Z0-9]+$/.test(user) ? `<@${user}>` : escape(user);
}

function slackDate(iso: string): string {
  const epoch = Math.floor(Date.parse(iso) / 1000);
  return `<!date^${epoch}^{date_short_pretty} {time}|${iso}>`;
}

function isFinal(status: DeploymentStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

/**
 * People read names, not 250-character ARNs: `…:targetgroup/canary-primary/517a…` → `canary-primary`,
 * `…:task-definition/web:7` → `web:7`, `…:service/demo/web` → `web`. One linear regex pass.
 */
export function namesNotArns(text: string): string {
  return text.replace(/\barn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\d*:([A-Za-z0-9_.:/+=,@-]+)/g, (_arn, resource: string) => {
    const parts = resource.split('/');
    switch (parts[0]) {
      case 'targetgroup': // targetgroup/<name>/<id>
        return parts[1] ?? resource;
      case 'service': // service/<cluster>/<name> (or the old service/<name>)
        return parts[parts.length - 1] ?? resource;
      case 'loadbalancer': // loadbalancer/app/<name>/<id>
        return parts[2] ?? resource;
      case 'listener':
      case 'listener-rule': // listener/app/<lb name>/<lb id>/<id>
        return `${parts[0]} of ${parts[2] ?? 'a load balancer'}`;
      default: // task-definition/<family>:<rev>, task-set/…, …
        return parts[parts.length - 1] ?? resource;
    }
  });
}

/** Slack mrkdwn control characters; user text must never form links or mentions. */
export function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}

function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

function stripEmojiCodes(text: string): string {
  return text.replace(/:[a-z0-9_+-]+: /g, '');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
