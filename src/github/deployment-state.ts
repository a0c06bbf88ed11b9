import type { DeploymentRecord, DeploymentStatus } from '../domain/deployment.js';
import { executionConsoleUrl } from '../slack/blocks.js';

/** The GitHub deployment states stepcd mirrors (GitHub also has `error` and `pending`). */
export type GithubDeploymentState = 'queued' | 'in_progress' | 'success' | 'failure' | 'inactive';

const STATE_OF: Record<DeploymentStatus, GithubDeploymentState> = {
  PENDING: 'queued',
  RUNNING: 'in_progress',
  WAITING_APPROVAL: 'in_progress',
  ROLLING_BACK: 'in_progress',
  SUCCESS: 'success',
  FAILURE: 'failure',
  CANCELLED: 'failure',
  TRIGGER_FAILED: 'failure',
  // A newer commit of the app is deployed instead: this one never will be.
  SUPERSEDED: 'inactive',
};

/** Pure: what a stepcd status looks like on GitHub. */
export function githubStateFor(status: DeploymentStatus): GithubDeploymentState {
  return STATE_OF[status];
}

/**
 * Order of states, so a late event never moves GitHub backwards: once final, a deployment stays as it
 * ended (EventBridge does not promise order).
 */
export function stateRank(state: GithubDeploymentState | undefined): number {
  if (state === undefined) return 0;
  if (state === 'queued') return 1;
  if (state === 'in_progress') return 2;
  return 3;
}

/** The GitHub environment: the app, or `app/env` when the app has an `env` label. */
export function environmentFor(app: { name: string; labels: Record<string, string> }): string {
  const env = app.labels.env;
  return env ? `${app.name}/${env}` : app.name;
}

/** Where the GitHub deployment links: the dashboard page when there is one, else the execution. */
export function deploymentLink(record: DeploymentRecord, dashboardUrl: string | undefined): string | undefined {
  if (dashboardUrl) return `${dashboardUrl}/deployments/${encodeURIComponent(record.deploymentId)}`;
  return executionConsoleUrl(record.executionArn);
}

/** GitHub refuses a status description over 140 characters. */
export const MAX_DESCRIPTION = 140;

export function statusDescription(record: DeploymentRecord): string {
  const text = record.reason ? `stepcd ${record.status}: ${record.reason}` : `stepcd ${record.status} (${record.deploymentId})`;
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION - 1)}…` : text;
}
