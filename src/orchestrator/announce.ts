import type { DeploymentRecord } from '../domain/deployment.js';
import type { DetailType } from '../domain/events.js';
import { eventDetail } from '../notify/events.js';
import type { DeploymentPlan } from '../domain/plan.js';
import type { OrchestratorDeps } from './deps.js';

export interface AnnounceExtra {
  stage?: { index: number; name: string };
  reason?: string;
  approver?: string;
}

/**
 * Publishes one EventBridge event for a deployment. An event that cannot be published is logged and
 * does not fail the deployment: EventBridge is how users hear about a deploy, not part of doing it.
 */
export async function announce(deps: OrchestratorDeps, record: DeploymentRecord, detailType: DetailType, extra: AnnounceExtra = {}): Promise<void> {
  const detail = eventDetail(record, { status: record.status, ...extra, now: deps.wallNow() });
  try {
    await deps.events.publish({ detailType, detail });
  } catch (err) {
    deps.logger.error('could not publish event', { detailType, deploymentId: record.deploymentId, error: err as Error });
  }
}

/** Reads the record back after a write, so events and Slack show what history now holds. */
export async function reload(deps: OrchestratorDeps, plan: DeploymentPlan): Promise<DeploymentRecord> {
  const record = await deps.history.getDeployment(plan.deploymentId);
  if (!record) throw new Error(`deployment ${plan.deploymentId} has no history record`);
  return record;
}

export function notifySettings(plan: DeploymentPlan) {
  return { slackChannel: plan.options.slackChannel, mentions: plan.options.mentions };
}
