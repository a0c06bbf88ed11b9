import type { WaitTarget } from '../domain/stage-wait.js';
import { InvalidStateError } from '../errors.js';
import { taskCluster } from '../stages/ecs/standalone-task.js';
import { essentialContainers } from '../stages/ecs/task-exit.js';
import type { StageInput } from '../stages/types.js';

/** What the current stage waits for, from the execution data after its start; pure. */
export function waitTargetOf(input: StageInput): WaitTarget {
  const { plan, stage, state, startedAt } = input;
  const { cluster, serviceName } = plan.serviceDefinition;
  const taskSet = (taskSetId: string | undefined, stableTimeoutSeconds: number): WaitTarget => {
    if (!taskSetId) throw new InvalidStateError(`${stage.name} waits before its start recorded a task set`);
    return { kind: 'task-set', cluster, service: serviceName, taskSetId, startedAt, stableTimeoutSeconds };
  };
  switch (stage.name) {
    case 'ECS_SYNC':
    case 'ECS_PRIMARY_ROLLOUT':
      return taskSet(state.primaryTaskSetId, stage.with.stableTimeoutSeconds);
    case 'ECS_CANARY_ROLLOUT':
      return taskSet(state.canaryTaskSetId, stage.with.stableTimeoutSeconds);
    case 'ECS_RUN_TASK': {
      const taskArn = state.runTaskArns?.[String(stage.index)];
      if (!taskArn) throw new InvalidStateError('ECS_RUN_TASK waits before its start recorded a task');
      return {
        kind: 'task',
        cluster: taskCluster(plan),
        taskArn,
        essentialContainers: [...essentialContainers(plan.taskDefinition)],
        startedAt,
        timeoutSeconds: stage.with.timeoutSeconds,
      };
    }
    case 'ANALYSIS':
      return { kind: 'alarms', alarms: [...stage.with.alarms], startedAt, durationSeconds: stage.with.durationSeconds };
    default:
      throw new InvalidStateError(`stage ${stage.name} does not wait on events`);
  }
}

/** How long the target may take in all: past this the stage fails (or, for ANALYSIS, passes). */
function totalSeconds(target: WaitTarget): number {
  switch (target.kind) {
    case 'task-set':
      return target.stableTimeoutSeconds;
    case 'task':
      return target.timeoutSeconds;
    case 'alarms':
    case 'duration':
      return target.durationSeconds;
  }
}

/**
 * The TimeoutSeconds of one task-token wait. ANALYSIS waits its whole window at once (alarm events
 * fail it early; the check at the end decides). A stability wait is cut into equal slices of at most
 * `backstopSeconds` that end just past the stage's timeout, so a lost event costs at most one slice
 * and the timeout is still met without a Lambda recomputing the next slice: each slice's end is a
 * check, and the check past the timeout fails the stage. The deployment's own deadline (spec.timeout,
 * `deadlineInSeconds` from now) bounds the total the same way. Pure.
 */
export function waitSliceSeconds(target: WaitTarget, backstopSeconds: number, deadlineInSeconds = Number.POSITIVE_INFINITY): number {
  const total = Math.max(1, Math.ceil(Math.min(totalSeconds(target), deadlineInSeconds))) + 1;
  if (target.kind === 'alarms') return total;
  const slices = Math.max(1, Math.ceil(total / Math.max(1, backstopSeconds)));
  return Math.ceil(total / slices);
}
