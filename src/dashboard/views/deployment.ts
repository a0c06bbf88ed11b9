import { html } from 'hono/html';
import type { ApprovalRecord, DeploymentRecord } from '../../domain/deployment.js';
import { FINAL_STATUSES } from '../../domain/deployment.js';
import type { ForwardRule, TaskSetInfo } from '../../stages/ports.js';
import type { ExternalLink, LiveDeployment } from '../ports.js';
import { appLink, commitLink, deploymentLink, stageBadge, stageDuration, statusBadge, time, took, type Clock } from './format.js';
import { table } from './layout.js';

export type OpenApproval = Omit<ApprovalRecord, 'taskToken'>;

export interface DeploymentModel {
  record: DeploymentRecord;
  /** The approval waiting for a decision, if any. */
  approval?: OpenApproval;
  live?: LiveDeployment;
  /** Why the live service could not be read (shown instead of the live section). */
  liveError?: string;
  execution?: ExternalLink;
  logs: ExternalLink[];
  /** Who the buttons act as; an error message when the identity could not be had. */
  actor: { arn: string } | { error: string };
}

/** The deployment page: summary, actions, stage timeline, live service, approvals and errors. */
export function deploymentBody(m: DeploymentModel, clock: Clock) {
  const r = m.record;
  return html`<h1>${r.app.name} <span class="sub">deployment</span></h1>
<p class="lead">${statusBadge(r.status)} <code class="id">${r.deploymentId}</code></p>
${r.reason ? html`<p class="reason ${r.status === 'SUCCESS' ? '' : 'reason-bad'}"><strong>Why:</strong> ${r.reason}</p>` : ''}
${summary(m, clock)}
${actions(m, clock)}
<section aria-labelledby="stages"><h2 id="stages">Stages</h2>
${
  r.stages.length === 0
    ? html`<p>No stages.</p>`
    : table(
        'Stage timeline',
        ['#', 'Stage', 'Status', 'Started', 'Duration', 'Detail'],
        r.stages.map((s) => [String(s.index + 1), s.name, stageBadge(s.status), time(s.startedAt, clock), stageDuration(s, clock), s.detail ?? '']),
      )
}
</section>
${liveSection(m)}
${approvalsSection(r, clock)}
${errorsSection(r, clock)}`;
}

function summary(m: DeploymentModel, clock: Clock) {
  const r = m.record;
  const labels = Object.entries(r.app.labels).map(([k, v]) => `${k}=${v}`);
  const trigger = [r.trigger.kind, r.trigger.actor ? `by ${r.trigger.actor}` : '', r.trigger.delivery ? `(delivery ${r.trigger.delivery})` : '']
    .filter(Boolean)
    .join(' ');
  const links = [...(m.execution ? [m.execution] : []), ...m.logs];
  return html`<section aria-labelledby="summary"><h2 id="summary">Summary</h2>
<dl class="facts">
<dt>App</dt><dd>${appLink(r.app.name)}${labels.length > 0 ? html` <span class="muted">${labels.join(', ')}</span>` : ''}</dd>
<dt>Commit</dt><dd>${commitLink(r.commit)} <span class="message">${r.commit.message}</span></dd>
<dt>Author</dt><dd>${r.commit.author}</dd>
${r.commit.branch ? html`<dt>Branch</dt><dd>${r.commit.branch}</dd>` : ''}
<dt>Trigger</dt><dd>${trigger}${r.trigger.rollbackOf ? html`, back to ${deploymentLink(r.trigger.rollbackOf)}` : ''}</dd>
<dt>Strategy</dt><dd>${r.strategy === 'QUICK_SYNC' ? 'Quick sync' : r.strategy === 'PIPELINE' ? 'Pipeline' : 'None'}</dd>
<dt>Created</dt><dd>${time(r.createdAt, clock)}</dd>
<dt>Ended</dt><dd>${time(r.endedAt, clock)}</dd>
<dt>Took</dt><dd>${took(r, clock)}</dd>
${r.cancelRequested && !FINAL_STATUSES.includes(r.status) ? html`<dt>Cancel</dt><dd>requested: it rolls back at its next step</dd>` : ''}
${links.length > 0 ? html`<dt>On AWS</dt><dd>${links.map((l, i) => html`${i > 0 ? ' · ' : ''}<a href="${l.url}">${l.label}</a>`)}</dd>` : ''}
</dl></section>`;
}

/** Approve/Reject while an approval is open, Cancel while the deployment runs; Reject and Cancel confirm first. */
function actions(m: DeploymentModel, clock: Clock) {
  const r = m.record;
  if (FINAL_STATUSES.includes(r.status)) return '';
  const base = `/deployments/${encodeURIComponent(r.deploymentId)}`;
  const a = m.approval;
  const who =
    'arn' in m.actor
      ? html`<p class="muted">You act as <code>${m.actor.arn}</code>.</p>`
      : html`<p class="flash flash-error">Actions are unavailable: ${m.actor.error}</p>`;
  const approval = a
    ? html`<div class="approval">
<p><strong>Approval needed</strong> for stage ${String(a.stageIndex + 1)}: ${String(a.approvedBy.length)} of ${String(a.minApproverNum)} so far${a.approvedBy.length > 0 ? ` (${a.approvedBy.join(', ')})` : ''}, from ${a.approvers.length > 0 ? a.approvers.join(', ') : 'the approvers the rules allow'}, until ${time(a.expiresAt, clock)}.</p>
<div class="buttons">
<form method="post" action="${base}/approve" hx-post="${base}/approve" hx-target="#main" hx-swap="morph:outerHTML">
<button type="submit" class="primary">Approve</button>
</form>
<form method="post" action="${base}/reject" hx-post="${base}/reject" hx-target="#main" hx-swap="morph:outerHTML" hx-confirm="Reject this deployment? It rolls back." hx-vals='{"confirm":"yes"}'>
<label for="reject-reason">Reason (optional)</label>
<input id="reject-reason" name="reason" type="text" maxlength="200" autocomplete="off">
<button type="submit" class="danger">Reject</button>
</form>
</div></div>`
    : '';
  return html`<section aria-labelledby="actions"><h2 id="actions">Actions</h2>
${who}
${approval}
${
  r.cancelRequested
    ? ''
    : html`<form method="post" action="${base}/cancel" hx-post="${base}/cancel" hx-target="#main" hx-swap="morph:outerHTML" hx-confirm="Cancel this deployment? It rolls back." hx-vals='{"confirm":"yes"}'>
<button type="submit" class="danger">Cancel deployment</button>
</form>`
}
</section>`;
}

function liveSection(m: DeploymentModel) {
  if (FINAL_STATUSES.includes(m.record.status)) return '';
  if (m.liveError)
    return html`<section aria-labelledby="live"><h2 id="live">Live service</h2><p class="flash flash-error">Cannot read the live service: ${m.liveError}</p></section>`;
  const live = m.live;
  if (!live) return '';
  return html`<section aria-labelledby="live"><h2 id="live">Live service</h2>
<p><code>${live.serviceName}</code> in cluster <code>${live.cluster}</code></p>
${
  live.rules.length > 0
    ? table(
        'Traffic weights of the listener rules',
        ['Rule', 'Primary', 'Canary'],
        live.rules.map((rule) => [ruleName(rule), `${rule.weights.primary}%`, `${rule.weights.canary}%`]),
      )
    : html`<p>No weighted listener rule: traffic goes to the primary.</p>`
}
${
  live.taskSets.length > 0
    ? table(
        'Task sets',
        ['Task set', 'Role', 'Task definition', 'Scale', 'Tasks running', 'Stability'],
        live.taskSets.map((s) => [
          html`<code>${s.id}</code>`,
          role(s, live),
          revision(s.taskDefinitionArn),
          `${s.scalePercent}%`,
          `${s.runningCount} of ${s.computedDesiredCount}${s.pendingCount > 0 ? ` (${s.pendingCount} pending)` : ''}`,
          s.stabilityStatus === 'STEADY_STATE' ? 'Steady' : 'Stabilizing',
        ]),
      )
    : html`<p>No task sets.</p>`
}
</section>`;
}

function ruleName(rule: ForwardRule): string {
  return rule.isDefault ? `default rule of listener ${tail(rule.listenerArn, 2)}` : `rule ${tail(rule.ruleArn, 1)}`;
}

function role(s: TaskSetInfo, live: LiveDeployment): string {
  if (s.status === 'PRIMARY') return 'Primary';
  if (s.targetGroupArn && s.targetGroupArn === live.targetGroups.canary) return 'Canary';
  return s.status === 'DRAINING' ? 'Draining' : 'Active';
}

/** `family:revision` from a task definition ARN. */
function revision(arn: string): string {
  return arn.split('/').pop() ?? arn;
}

function tail(arn: string, parts: number): string {
  return arn.split('/').slice(-parts).join('/');
}

function approvalsSection(r: DeploymentRecord, clock: Clock) {
  if (r.approvals.length === 0) return '';
  return html`<section aria-labelledby="approvals"><h2 id="approvals">Approvals</h2>
${table(
  'Who decided, and when',
  ['Who', 'Decision', 'Via', 'When'],
  r.approvals.map((v) => [html`<code>${v.user}</code>`, v.decision === 'APPROVE' ? 'Approved' : 'Rejected', v.via, time(v.at, clock)]),
)}
</section>`;
}

function errorsSection(r: DeploymentRecord, clock: Clock) {
  if (r.errors.length === 0) return '';
  return html`<section aria-labelledby="errors"><h2 id="errors">Errors</h2>
${table(
  'Errors the deployment met',
  ['When', 'Stage', 'Error', 'Cause'],
  r.errors.map((e) => [time(e.at, clock), e.stage ?? '–', e.error, e.cause]),
)}
</section>`;
}
