import { InvalidStateError } from '../errors.js';
import type { CheckResult, StartResult } from './types.js';
import type { StagePorts } from './ports.js';
import type { StageExecutor, StageInputOf } from './executor.js';
import { startRollout } from './ecs/start-rollout.js';
import { taskSetStability } from './ecs/stability.js';

/**
 * ECS_CANARY_ROLLOUT(scale): a task set at scale% in the canary target group. It carries no traffic
 * until ECS_TRAFFIC_ROUTING gives it some (with SERVICE_DISCOVERY it is discoverable at once).
 */
export const canaryRollout: StageExecutor<'ECS_CANARY_ROLLOUT'> = {
  async start(input: StageInputOf<'ECS_CANARY_ROLLOUT'>, ports: StagePorts): Promise<StartResult> {
    const { stage } = input;
    const created = await startRollout(input, ports, { role: 'canary', scalePercent: stage.with.scale });
    return {
      state: { ...created.state, canaryTaskSetId: created.taskSetId },
      needsCheck: true,
      detail: `canary task set ${created.taskSetId} at ${stage.with.scale}%`,
    };
  },

  async check(input: StageInputOf<'ECS_CANARY_ROLLOUT'>, ports: StagePorts): Promise<CheckResult> {
    const { plan, stage } = input;
    const taskSetId = input.state.canaryTaskSetId;
    if (!taskSetId) throw new InvalidStateError('ECS_CANARY_ROLLOUT check ran before start recorded its canary task set');
    const stability = await taskSetStability(plan, ports, taskSetId, input.startedAt, stage.with.stableTimeoutSeconds);
    if (stability.status === 'failed') return { status: 'failed', state: input.state, error: stability.error };
    return { status: stability.status, state: input.state, detail: stability.detail };
  },
};
