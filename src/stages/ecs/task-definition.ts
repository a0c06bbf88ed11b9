import type { DeploymentState } from '../../domain/deployment.js';
import type { DeploymentPlan } from '../../domain/plan.js';
import { isCreatedBy, isRollbackRestoreSet, stepcdTags } from './identity.js';
import type { StagePorts, TaskSetInfo } from '../ports.js';
import { withSecrets } from './task-definition-secrets.js';

/**
 * Registers the plan's task definition once per deployment and reuses the ARN in every later stage.
 * PipeCD registered a revision per stage and ran into the active-revision limit (#4592). When the
 * state was lost (a retried Lambda whose output never arrived), a live task set this deployment
 * created still names the revision, so it is reused rather than registered again; and when the Lambda
 * died between registering and creating a set, the family's latest revision carries this
 * deployment's tag, so it is reused too.
 */
export async function ensureTaskDefinition(
  plan: DeploymentPlan,
  state: DeploymentState,
  ports: StagePorts,
  liveTaskSets: readonly TaskSetInfo[],
): Promise<{ taskDefinitionArn: string; state: DeploymentState }> {
  if (state.taskDefinitionArn) return { taskDefinitionArn: state.taskDefinitionArn, state };
  const ours = liveTaskSets.find((s) => isCreatedBy(plan.deploymentId, s.externalId) && !isRollbackRestoreSet(plan.deploymentId, s.externalId));
  if (ours) return { taskDefinitionArn: ours.taskDefinitionArn, state: { ...state, taskDefinitionArn: ours.taskDefinitionArn } };
  const family = typeof plan.taskDefinition.family === 'string' ? plan.taskDefinition.family : undefined;
  const latest = family ? await ports.ecs.latestTaskDefinition(family) : undefined;
  if (latest && latest.tags['stepcd:deployment'] === plan.deploymentId) {
    return { taskDefinitionArn: latest.arn, state: { ...state, taskDefinitionArn: latest.arn, touched: true } };
  }
  const taskDefinitionArn = await ports.ecs.registerTaskDefinition(await withSecrets(plan, ports), stepcdTags(plan));
  ports.log('registered task definition', { taskDefinitionArn });
  return { taskDefinitionArn, state: { ...state, taskDefinitionArn, touched: true } };
}
