import type { DeploymentState } from '../../domain/deployment.js';
import type { DeploymentPlan, TargetGroupRef } from '../../domain/plan.js';
import { InvalidStateError } from '../../errors.js';
import { clientTokenFor, isCreatedBy, stepcdTags, taskSetExternalId, type TaskSetRole } from './identity.js';
import type { StagePorts, TaskSetInfo } from '../ports.js';
import { splitServiceDefinition } from './service-definition.js';

export interface TaskSetSpec {
  stageIndex: number | 'rollback';
  role: TaskSetRole;
  scalePercent: number;
  taskDefinitionArn: string;
}

/**
 * Returns the task set this stage created, creating it only when the live service has none with
 * its externalId. The clientToken covers the window where a create succeeded but its answer was lost.
 */
export async function ensureTaskSet(
  plan: DeploymentPlan,
  state: DeploymentState,
  ports: StagePorts,
  spec: TaskSetSpec,
  /** The service's task sets if the caller has just listed them; listed here otherwise. */
  liveTaskSets?: readonly TaskSetInfo[],
): Promise<{ taskSet: TaskSetInfo; state: DeploymentState }> {
  const { cluster, serviceName } = plan.serviceDefinition;
  const externalId = taskSetExternalId(plan.deploymentId, spec.stageIndex, spec.role);
  const existing = (liveTaskSets ?? (await ports.ecs.listTaskSets(cluster, serviceName))).find((s) => s.externalId === externalId && s.status !== 'DRAINING');
  const taskSet =
    existing ??
    (await ports.ecs.createTaskSet({
      cluster,
      service: serviceName,
      taskDefinitionArn: spec.taskDefinitionArn,
      externalId,
      clientToken: clientTokenFor(externalId),
      scalePercent: spec.scalePercent,
      ...splitServiceDefinition(plan.serviceDefinition).taskSet,
      ...loadBalancerFor(plan, spec.role),
      tags: stepcdTags(plan),
    }));
  if (!existing) ports.log('created task set', { taskSetId: taskSet.id, externalId, scalePercent: spec.scalePercent });
  const createdTaskSetIds = state.createdTaskSetIds.includes(taskSet.id) ? state.createdTaskSetIds : [...state.createdTaskSetIds, taskSet.id];
  return { taskSet, state: { ...state, createdTaskSetIds, touched: true } };
}

/** SERVICE_DISCOVERY sets register through serviceRegistries (from the servicedef) instead. */
function loadBalancerFor(plan: DeploymentPlan, role: TaskSetRole): { loadBalancer?: TargetGroupRef } {
  if (plan.accessType === 'SERVICE_DISCOVERY') return {};
  const group = plan.targetGroups[role];
  if (group) return { loadBalancer: group };
  if (role === 'canary') {
    throw new InvalidStateError(`app ${plan.app.name} has no canary target group; a canary needs targetGroups.canary`);
  }
  return {};
}

/**
 * Remembers which PRIMARY set served before this deployment, so that primary rollout deletes only
 * it and rollback can restore it. Set once: later calls see this deployment's own set as PRIMARY.
 */
export function rememberPreviousPrimary(deploymentId: string, taskSets: readonly TaskSetInfo[], state: DeploymentState): DeploymentState {
  if (state.previousPrimaryTaskSetId) return state;
  const primary = taskSets.find((s) => s.status === 'PRIMARY' && !isCreatedBy(deploymentId, s.externalId));
  if (!primary) return state;
  return { ...state, previousPrimaryTaskSetId: primary.id, previousPrimaryTaskDefinitionArn: primary.taskDefinitionArn };
}

export function liveSets(taskSets: readonly TaskSetInfo[]): TaskSetInfo[] {
  return taskSets.filter((s) => s.status !== 'DRAINING');
}
