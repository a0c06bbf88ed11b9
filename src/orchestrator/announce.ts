import type { DeploymentRecord } from '../domain/deployment.js';
import type { DetailType } from '../domain/events.js';
import { announce as publishEvent } from '../notify/announce.js';
import { notifySettings } from '../slack/notifier.js';
import type { DeploymentPlan } from '../domain/plan.js';
import type { StepDeps } from './deps.js';

export interface AnnounceExtra {
  stage?: { index: number; name: string };
  reason?: string;
  approver?: string;
}

/** The one announce (src/notify/announce.ts), at the time people read (the wall clock). */
export function announce(deps: StepDeps, record: DeploymentRecord, detailType: DetailType, extra: AnnounceExtra = {}): Promise<void> {
  return publishEvent(deps, record, detailType, { ...extra, now: deps.wallNow() });
}

/** Reads the record back after a write, so events and Slack show what history now holds. */
export async function reload(deps: StepDeps, plan: DeploymentPlan): Promise<DeploymentRecord> {
  const record = await deps.history.getDeployment(plan.deploymentId);
  if (!record) throw new Error(`deployment ${plan.deploymentId} has no history record`);
  return record;
}

export { notifySettings };
