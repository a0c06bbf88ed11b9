import type { DeploymentState } from '../domain/deployment.js';
import type { DeploymentPlan } from '../domain/plan.js';
import { stepcdTags } from './identity.js';
import type { StagePorts } from './ports.js';

/**
 * Registers the plan's task definition once per deployment and reuses the ARN in every later stage.
 * PipeCD registered a revision per stage and ran into the active-revision limit (#4592).
 */
export async function ensureTaskDefinition(
  plan: DeploymentPlan,
  state: DeploymentState,
  ports: StagePorts,
): Promise<{ taskDefinitionArn: string; state: DeploymentState }> {
  if (state.taskDefinitionArn) return { taskDefinitionArn: state.taskDefinitionArn, state };
  const taskDefinitionArn = await ports.ecs.registerTaskDefinition(plan.taskDefinition, stepcdTags(plan));
  ports.log('registered task definition', { taskDefinitionArn });
  return { taskDefinitionArn, state: { ...state, taskDefinitionArn, touched: true } };
}
