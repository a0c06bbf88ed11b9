import type { DeploymentState } from '../../domain/deployment.js';
import type { StageInput } from '../types.js';
import type { StagePorts } from '../ports.js';
import { ensureService } from './service.js';
import { ensureTaskDefinition } from './task-definition.js';
import { ensureTaskSet, rememberPreviousPrimary, type TaskSetSpec } from './task-set.js';

/**
 * The common start of ECS_SYNC, ECS_CANARY_ROLLOUT and ECS_PRIMARY_ROLLOUT: the service applied,
 * the PRIMARY set that served before remembered, the task definition registered (once), and the
 * stage's task set created unless it already exists.
 */
export async function startRollout(
  input: StageInput,
  ports: StagePorts,
  spec: Omit<TaskSetSpec, 'taskDefinitionArn' | 'stageIndex'>,
): Promise<{ state: DeploymentState; taskSetId: string }> {
  const { plan } = input;
  const { cluster, serviceName } = plan.serviceDefinition;
  let state = await ensureService(plan, input.state, ports);
  const sets = await ports.ecs.listTaskSets(cluster, serviceName);
  state = rememberPreviousPrimary(plan.deploymentId, sets, state);
  const registered = await ensureTaskDefinition(plan, state, ports, sets);
  const created = await ensureTaskSet(
    plan,
    registered.state,
    ports,
    {
      ...spec,
      stageIndex: input.stage.index,
      taskDefinitionArn: registered.taskDefinitionArn,
    },
    sets,
  );
  return { state: created.state, taskSetId: created.taskSet.id };
}
