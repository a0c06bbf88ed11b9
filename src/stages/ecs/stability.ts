import type { DeploymentPlan } from '../../domain/plan.js';
import { StabilizeFailedError, StableTimeoutError } from '../../errors.js';
import type { StagePorts, StoppedTask, TaskSetInfo } from '../ports.js';

export type Stability =
  | { status: 'done'; detail: string }
  | { status: 'pending'; detail: string }
  /** The error says which: tasks that failed (StabilizeFailed) or time that ran out (StableTimeout). */
  | { status: 'failed'; error: StabilizeFailedError | StableTimeoutError };

/** Two failed tasks are a pattern, not bad luck: fail early instead of waiting for the timeout. */
const FAILED_TASKS_BEFORE_GIVING_UP = 2;

/**
 * Decides whether a task set has stabilised, from what ECS reports. Pure, so every branch is tested
 * with a table. `stoppedTasks` are the set's stopped tasks; `startedAt` and `now` are epoch ms.
 */
export function assessTaskSet(
  taskSet: TaskSetInfo | undefined,
  stoppedTasks: readonly StoppedTask[],
  startedAt: number,
  now: number,
  stableTimeoutSeconds: number,
): Stability {
  if (!taskSet || taskSet.status === 'DRAINING') {
    const which = taskSet ? `task set ${taskSet.id}` : 'the task set';
    return { status: 'failed', error: new StabilizeFailedError(`${which} is gone or draining before it stabilised`) };
  }
  const counts = `${taskSet.runningCount}/${taskSet.computedDesiredCount} running, ${taskSet.pendingCount} pending`;
  if (taskSet.stabilityStatus === 'STEADY_STATE') return { status: 'done', detail: `task set ${taskSet.id} is STEADY_STATE (${counts})` };

  const failed = stoppedTasks.filter(isFailure);
  const crashed = failed.some((t) => t.stopCode === 'EssentialContainerExited');
  if (failed.length >= FAILED_TASKS_BEFORE_GIVING_UP || crashed) {
    return {
      status: 'failed',
      error: new StabilizeFailedError(`task set ${taskSet.id} failed to stabilise: ${describeStop(failed[0]!)} (${failed.length} task(s) stopped)`),
    };
  }
  const elapsedSeconds = (now - startedAt) / 1000;
  if (elapsedSeconds > stableTimeoutSeconds) {
    const last = failed[0] ? `; last stop: ${describeStop(failed[0])}` : '';
    return {
      status: 'failed',
      error: new StableTimeoutError(`task set ${taskSet.id} not STEADY_STATE after ${stableTimeoutSeconds}s (${counts})${last}`),
    };
  }
  return { status: 'pending', detail: `task set ${taskSet.id} is ${taskSet.stabilityStatus} (${counts})` };
}

/**
 * A task stopped by a scale-in or a deletion is not a failure; one that could not start, whose
 * essential container exited, or that the scheduler killed for failing health checks is.
 */
function isFailure(task: StoppedTask): boolean {
  if (task.stopCode === 'TaskFailedToStart' || task.stopCode === 'EssentialContainerExited') return true;
  return /health check|failed/i.test(task.stoppedReason ?? '');
}

function describeStop(task: StoppedTask): string {
  const parts = [task.stoppedReason ?? task.stopCode ?? 'stopped', ...task.containerReasons];
  return parts.join('; ');
}

/** Waits on one task set: its stability, judged from the set and its stopped tasks. */
export function taskSetStability(
  plan: DeploymentPlan,
  ports: StagePorts,
  taskSetId: string,
  startedAt: string,
  stableTimeoutSeconds: number,
): Promise<Stability> {
  const { cluster, serviceName } = plan.serviceDefinition;
  return taskSetStabilityIn(cluster, serviceName, ports, taskSetId, startedAt, stableTimeoutSeconds);
}

/** The same, given the cluster and service alone (the ecs-events function has no plan). */
export async function taskSetStabilityIn(
  cluster: string,
  serviceName: string,
  ports: Pick<StagePorts, 'ecs' | 'now'>,
  taskSetId: string,
  startedAt: string,
  stableTimeoutSeconds: number,
): Promise<Stability> {
  const taskSet = await ports.ecs.describeTaskSet(cluster, serviceName, taskSetId);
  // Stopped tasks matter only while the set is not yet steady; skip the call otherwise.
  const stopped = taskSet && taskSet.stabilityStatus !== 'STEADY_STATE' ? await ports.ecs.stoppedTasksOf(cluster, taskSetId) : [];
  return assessTaskSet(taskSet, stopped, Date.parse(startedAt), ports.now(), stableTimeoutSeconds);
}
