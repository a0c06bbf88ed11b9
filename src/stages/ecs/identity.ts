import { createHash } from 'node:crypto';
import type { DeploymentPlan } from '../../domain/plan.js';
import type { Tags } from '../ports.js';

export type TaskSetRole = 'primary' | 'canary';

/** Tags on everything stepcd creates, so a human (and stepcd) can tell whose it is. */
export function stepcdTags(plan: DeploymentPlan): Tags {
  return {
    'stepcd:app': plan.app.name,
    'stepcd:deployment': plan.deploymentId,
    'stepcd:commit': plan.commit.sha,
  };
}

/**
 * The externalId of a task set created by a stage: `<deploymentId>:<stage index>:<role>`. Looking a
 * set up by it before creating is what makes a repeated start create nothing new.
 */
export function taskSetExternalId(deploymentId: string, stageIndex: number | 'rollback', role: TaskSetRole): string {
  return `${deploymentId}:${stageIndex}:${role}`;
}

/** True when the task set was created by this deployment (any stage, rollback included). */
export function isCreatedBy(deploymentId: string, externalId: string | undefined): boolean {
  return externalId !== undefined && externalId.startsWith(`${deploymentId}:`);
}

/** True for the set rollback created to restore the last good version; rollback must keep it. */
export function isRollbackRestoreSet(deploymentId: string, externalId: string | undefined): boolean {
  return externalId === taskSetExternalId(deploymentId, 'rollback', 'primary');
}

/** ECS takes a clientToken of up to 36 characters in UUID form; derive one from the externalId. */
export function clientTokenFor(externalId: string): string {
  const h = createHash('sha256').update(externalId).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
