import type { DeploymentState, LastGood } from '../../domain/deployment.js';
import { isCreatedBy, isRollbackRestoreSet } from './identity.js';
import type { TaskSetInfo } from '../ports.js';

/** The facts rollback decides from: what this deployment did, what is live, what to go back to. */
export interface RollbackFacts {
  deploymentId: string;
  state: DeploymentState;
  lastGood?: LastGood;
  /** Live (non-DRAINING) task sets of the service; empty when the service is gone. */
  taskSets: readonly TaskSetInfo[];
  canaryHasTraffic: boolean;
  serviceExists: boolean;
  /**
   * The service was deleted and is still DRAINING. ECS refuses CreateService under its name (and
   * UpdateService on it) until it is INACTIVE, so a rollback that deleted it is not done before then.
   */
  serviceDraining?: boolean;
  /** The live service carries this deployment's `stepcd:deployment` tag: this deployment created it. */
  serviceCreatedHere?: boolean;
}

export type RollbackAction =
  | { kind: 'route-primary' }
  | { kind: 'create-restore-set'; taskDefinitionArn: string }
  | { kind: 'wait-stable'; taskSetId: string }
  | { kind: 'make-primary'; taskSetId: string }
  | { kind: 'delete-task-sets'; taskSetIds: string[] }
  | { kind: 'delete-service' }
  | { kind: 'wait-service-gone' }
  | { kind: 'done'; summary: string };

/**
 * The next step of rollback, decided from live facts only, so each call makes one bit of progress
 * and a repeated call after a crash picks up where the world is. The order is the point: traffic to
 * primary first; then the last good version back as PRIMARY; only then delete what we created.
 */
export function nextRollbackAction(facts: RollbackFacts): RollbackAction {
  const { deploymentId, state, lastGood, taskSets } = facts;
  if (facts.canaryHasTraffic) return { kind: 'route-primary' };

  const ours = taskSets.filter((s) => isCreatedBy(deploymentId, s.externalId) && !isRollbackRestoreSet(deploymentId, s.externalId));
  const restoreSet = taskSets.find((s) => isRollbackRestoreSet(deploymentId, s.externalId));
  const primary = taskSets.find((s) => s.status === 'PRIMARY');
  const primaryIsOurs = primary !== undefined && ours.includes(primary);
  const restoreTarget = lastGood?.taskDefinitionArn ?? state.previousPrimaryTaskDefinitionArn;

  if (primaryIsOurs) {
    const survivor = taskSets.find(
      (s) => !isCreatedBy(deploymentId, s.externalId) && (s.id === state.previousPrimaryTaskSetId || lastGood?.taskSetIds.includes(s.id)),
    );
    const candidate = survivor ?? restoreSet;
    if (candidate) {
      return candidate.stabilityStatus === 'STEADY_STATE'
        ? { kind: 'make-primary', taskSetId: candidate.id }
        : { kind: 'wait-stable', taskSetId: candidate.id };
    }
    if (restoreTarget) return { kind: 'create-restore-set', taskDefinitionArn: restoreTarget };
    // Nothing served before this deployment: fall through and remove what it created.
  }

  const firstDeployment = !restoreTarget && !taskSets.some((s) => !isCreatedBy(deploymentId, s.externalId));
  const serviceCreated = state.serviceCreated === true || facts.serviceCreatedHere === true;
  if (firstDeployment && serviceCreated && facts.serviceExists) return { kind: 'delete-service' };
  // Done only once the name is free: the app's next push must be able to create the service again.
  if (firstDeployment && serviceCreated && facts.serviceDraining) return { kind: 'wait-service-gone' };
  if (ours.length > 0) return { kind: 'delete-task-sets', taskSetIds: ours.map((s) => s.id) };
  return { kind: 'done', summary: summarise(facts, firstDeployment, serviceCreated, restoreSet ?? primary) };
}

function summarise(facts: RollbackFacts, firstDeployment: boolean, serviceCreated: boolean, serving: TaskSetInfo | undefined): string {
  const { state, lastGood } = facts;
  const created = state.createdTaskSetIds.length;
  if (firstDeployment && serviceCreated) {
    return `first deployment, nothing to roll back to: removed the service this deployment created and ${created} task set(s) it created`;
  }
  if (!state.touched && created === 0) return 'nothing to roll back: this deployment had not changed ECS';
  if (firstDeployment) {
    return `first deployment, nothing to roll back to: kept the service (it predates this deployment) and removed ${created} task set(s) it created`;
  }
  const version = serving?.taskDefinitionArn ?? lastGood?.taskDefinitionArn ?? 'the previous version';
  const from = lastGood ? ` (deployment ${lastGood.deploymentId})` : '';
  return `rolled back: 100% of traffic on ${version}${from}; removed ${created} task set(s) this deployment created`;
}
