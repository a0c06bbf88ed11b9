import { InvalidStateError } from '../errors.js';
import type { CheckResult, StartResult } from './types.js';
import type { StagePorts } from './ports.js';
import type { StageExecutor, StageInputOf } from './executor.js';
import { taskSetStability } from './ecs/stability.js';
import { startRollout } from './ecs/start-rollout.js';
import { liveSets } from './ecs/task-set.js';
import { isCreatedBy } from './ecs/identity.js';

/**
 * ECS_PRIMARY_ROLLOUT: a new 100% set in the primary target group, made PRIMARY once steady; then
 * only the previous PRIMARY is deleted. The canary stays until ECS_CANARY_CLEAN: deleting it here
 * while it still had weight is what gave PipeCD users 503s (#4710).
 */
export const primaryRollout: StageExecutor<'ECS_PRIMARY_ROLLOUT'> = {
  async start(input: StageInputOf<'ECS_PRIMARY_ROLLOUT'>, ports: StagePorts): Promise<StartResult> {
    const created = await startRollout(input, ports, { role: 'primary', scalePercent: 100 });
    return { state: { ...created.state, primaryTaskSetId: created.taskSetId }, needsCheck: true, detail: `primary task set ${created.taskSetId} at 100%` };
  },

  async check(input: StageInputOf<'ECS_PRIMARY_ROLLOUT'>, ports: StagePorts): Promise<CheckResult> {
    const { plan, stage } = input;
    const taskSetId = input.state.primaryTaskSetId;
    if (!taskSetId) throw new InvalidStateError('ECS_PRIMARY_ROLLOUT check ran before start recorded its task set');
    const stability = await taskSetStability(plan, ports, taskSetId, input.startedAt, stage.with.stableTimeoutSeconds);
    if (stability.status === 'failed') return { status: 'failed', state: input.state, error: stability.error };
    if (stability.status === 'pending') return { status: 'pending', state: input.state, detail: stability.detail };

    const { cluster, serviceName } = plan.serviceDefinition;
    const sets = liveSets(await ports.ecs.listTaskSets(cluster, serviceName));
    if (sets.find((s) => s.id === taskSetId)?.status !== 'PRIMARY') {
      await ports.ecs.setPrimaryTaskSet(cluster, serviceName, taskSetId);
      ports.log('made task set PRIMARY', { taskSetId });
    }
    const previous = sets.find((s) => s.id === input.state.previousPrimaryTaskSetId && !isCreatedBy(plan.deploymentId, s.externalId));
    if (previous) {
      await ports.ecs.deleteTaskSet(cluster, serviceName, previous.id);
      ports.log('deleted previous primary task set', { taskSetId: previous.id, taskDefinitionArn: previous.taskDefinitionArn });
    }
    return {
      status: 'done',
      state: { ...input.state, touched: true },
      detail: `task set ${taskSetId} is PRIMARY${previous ? `; deleted previous primary ${previous.id}` : ''}`,
    };
  },
};
