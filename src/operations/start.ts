import type { DeploymentPlan } from '../domain/plan.js';
import { ConditionalWriteConflictError } from '../errors.js';
import { newDeploymentRecord } from '../history/records.js';
import { statusEvent } from '../notify/events.js';
import type { StartDeps } from './ports.js';

export interface Started {
  deploymentId: string;
  executionArn: string;
  executionName: string;
}

/**
 * Starts a planned deployment the way a push does (src/gitops/trigger.ts): the PENDING record and
 * DEPLOYMENT_TRIGGERED first, then StartExecution. The state machine's Begin then applies the same
 * lock, queue and commit-order rules as to any push, and records the execution on the record: a
 * write here too could fail after the start, and the error would invite a retry, which (the id being
 * salted) would start a second deployment.
 */
export async function startDeployment(plan: DeploymentPlan, deps: StartDeps): Promise<Started> {
  const record = newDeploymentRecord(plan, deps.wallNow());
  if (!(await deps.history.createDeployment(record))) {
    // Ids are salted per request, so a clash is a programming error, not a redelivery to absorb.
    throw new ConditionalWriteConflictError(`deployment ${plan.deploymentId} already exists`, undefined);
  }
  await deps.events.publish(statusEvent(record, { status: record.status, now: record.createdAt }));
  const { executionArn } = await deps.workflow.startExecution(plan.executionName, plan);
  return { deploymentId: plan.deploymentId, executionArn, executionName: plan.executionName };
}
