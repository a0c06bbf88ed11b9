import { html } from 'hono/html';
import type { AppState, DeploymentRecord } from '../../domain/deployment.js';
import { deploymentLink, shortSha, statusBadge, time, took, type Clock } from './format.js';
import { table } from './layout.js';
import { commitCell, runningOrQueued } from './overview.js';
import { driftDetail, type DriftView } from './drift-mark.js';

export interface AppHistoryModel {
  name: string;
  state: AppState;
  deployments: DeploymentRecord[];
  limit: number;
  drift?: DriftView;
}

/** One app: its live version, what runs or waits, and its deployments newest first. */
export function appHistoryBody(m: AppHistoryModel, clock: Clock) {
  const live = m.state.lastGood;
  return html`<h1>${m.name} <span class="sub">history</span></h1>
<dl class="facts">
<dt>Live version</dt><dd>${live ? html`${deploymentLink(live.deploymentId, shortSha(live.commitSha))} since ${time(live.at, clock)}` : 'none yet'}</dd>
<dt>Drift</dt><dd>${driftDetail(m.drift, clock)}</dd>
<dt>Now</dt><dd>${runningOrQueued(m.state)}</dd>
</dl>
<section aria-labelledby="deployments"><h2 id="deployments">Deployments</h2>
${
  m.deployments.length === 0
    ? html`<p>No deployments of ${m.name} yet.</p>`
    : table(
        `The last ${m.deployments.length} deployments, newest first`,
        ['Deployment', 'Commit', 'Author', 'Trigger', 'Status', 'Created', 'Took'],
        m.deployments.map((r) => [
          deploymentLink(r.deploymentId),
          commitCell(r),
          r.commit.author,
          r.trigger.kind,
          statusBadge(r.status),
          time(r.createdAt, clock),
          took(r, clock),
        ]),
      )
}
</section>`;
}
