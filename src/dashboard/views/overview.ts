import { html } from 'hono/html';
import type { AppState, DeploymentRecord } from '../../domain/deployment.js';
import { appLink, commitLink, deploymentLink, firstLine, shortSha, statusBadge, time, type Clock } from './format.js';
import { table } from './layout.js';
import { driftMark, type DriftView } from './drift-mark.js';

export interface AppSummary {
  name: string;
  state: AppState;
  last?: DeploymentRecord;
  drift?: DriftView;
}

export interface OverviewModel {
  active: DeploymentRecord[];
  apps: AppSummary[];
}

/** Apps overview: what is in progress, then each app's live version, last deployment and queue. */
export function overviewBody(model: OverviewModel, clock: Clock) {
  return html`<h1>Apps</h1>
<section aria-labelledby="in-progress">
<h2 id="in-progress">In progress</h2>
${model.active.length === 0 ? html`<p>Nothing is deploying right now.</p>` : activeTable(model.active, clock)}
</section>
<section aria-labelledby="all-apps">
<h2 id="all-apps">All apps</h2>
${model.apps.length === 0 ? html`<p>No apps yet: commit an <code>app.pipecd.yaml</code> to the watched repository.</p>` : appsTable(model.apps, clock)}
</section>`;
}

function activeTable(active: DeploymentRecord[], clock: Clock) {
  return table(
    'Deployments in progress, oldest first',
    ['App', 'Deployment', 'Commit', 'Status', 'Stage', 'Started'],
    active.map((r) => [appLink(r.app.name), deploymentLink(r.deploymentId), commitCell(r), statusBadge(r.status), currentStage(r), time(r.createdAt, clock)]),
  );
}

function appsTable(apps: AppSummary[], clock: Clock) {
  return table(
    'Every app, its live version and its last deployment',
    ['App', 'Live version', 'Drift', 'Last deployment', 'Status', 'Running or queued'],
    apps.map((a) => [
      appLink(a.name),
      a.state.lastGood
        ? html`${deploymentLink(a.state.lastGood.deploymentId, shortSha(a.state.lastGood.commitSha))} since ${time(a.state.lastGood.at, clock)}`
        : 'none yet',
      driftMark(a.drift, clock),
      a.last ? html`${deploymentLink(a.last.deploymentId)}<br>${time(a.last.createdAt, clock)}` : 'never deployed',
      a.last ? statusBadge(a.last.status) : '–',
      runningOrQueued(a.state),
    ]),
  );
}

export function commitCell(r: DeploymentRecord) {
  return html`${commitLink(r.commit)} ${firstLine(r.commit.message)}`;
}

function currentStage(r: DeploymentRecord): string {
  const stage = r.stages.find((s) => s.status === 'RUNNING') ?? r.stages.find((s) => s.status === 'NOT_STARTED');
  return stage ? `${stage.index + 1}. ${stage.name}` : '–';
}

export function runningOrQueued(state: AppState) {
  const running = state.lockHolder ? html`running ${deploymentLink(state.lockHolder)}` : html`idle`;
  const queued = state.queue.length > 0 ? html`; ${String(state.queue.length)} queued` : '';
  return html`${running}${queued}`;
}
