import type { EmulatorTimings } from './types.js';
import type { ManualTarget, Service, Task, TaskSet } from './state.js';

/**
 * Pure derivations of "what is true at time `now`" from stored facts. No function here changes
 * state, so every observation is reproducible from the facts and the clock.
 */

export type TaskStatus = 'PENDING' | 'RUNNING' | 'DEACTIVATING' | 'STOPPING' | 'STOPPED';

export function taskStatusAt(task: Task, now: number, timings: EmulatorTimings): TaskStatus {
  if (task.stoppedAt !== undefined && now >= task.stoppedAt) return 'STOPPED';
  if (task.stopRequestedAt !== undefined && now >= task.stopRequestedAt) {
    // A registered task first drains its target (DEACTIVATING), then stops.
    const drainEnd = task.stopRequestedAt + (wasRegistered(task) ? timings.drainMs : 0);
    return now < drainEnd ? 'DEACTIVATING' : 'STOPPING';
  }
  return now < task.runningAt ? 'PENDING' : 'RUNNING';
}

/** Whether the task reached RUNNING (and so registered its target) before it was asked to stop. */
export function wasRegistered(task: Task): boolean {
  return task.target !== undefined && (task.stopRequestedAt === undefined || task.stopRequestedAt >= task.runningAt);
}

/** ECS rounds up: desired 4 at 30% runs 2 tasks. A draining set wants none. */
export function computedDesiredCount(set: TaskSet, service: Service): number {
  if (set.status === 'DRAINING') return 0;
  // The epsilon keeps float noise (e.g. 3 × 33.33) from rounding a whole number up.
  return Math.max(0, Math.ceil((service.desiredCount * set.scale.value) / 100 - 1e-9));
}

export type TargetState = 'initial' | 'healthy' | 'unhealthy' | 'draining';

export interface TargetHealth {
  state: TargetState;
  reason?: string;
  description?: string;
}

const DRAINING: TargetHealth = {
  state: 'draining',
  reason: 'Target.DeregistrationInProgress',
  description: 'Target deregistration is in progress',
};

/** Health of a target registered at `registeredAt` and deregistered at `deregisteredAt`; undefined once gone. */
export function targetHealthAt(
  span: { registeredAt: number; deregisteredAt?: number },
  now: number,
  timings: EmulatorTimings,
  failsHealthChecks: boolean,
): TargetHealth | undefined {
  if (now < span.registeredAt) return undefined;
  if (span.deregisteredAt !== undefined && now >= span.deregisteredAt) {
    return now < span.deregisteredAt + timings.drainMs ? DRAINING : undefined;
  }
  if (now < span.registeredAt + timings.healthyAfterMs) {
    return { state: 'initial', reason: 'Elb.InitialHealthChecking', description: 'Initial health checks in progress' };
  }
  if (failsHealthChecks) {
    return { state: 'unhealthy', reason: 'Target.FailedHealthChecks', description: 'Health checks failed' };
  }
  return { state: 'healthy' };
}

/** The registration span of a task's target, if it ever registered. */
export function taskTargetSpan(task: Task): { registeredAt: number; deregisteredAt?: number } | undefined {
  if (!wasRegistered(task)) return undefined;
  return { registeredAt: task.runningAt, deregisteredAt: task.stopRequestedAt };
}

export function manualTargetSpan(target: ManualTarget): { registeredAt: number; deregisteredAt?: number } {
  return { registeredAt: target.registeredAt, deregisteredAt: target.deregisteredAt };
}

export interface SetCounts {
  computedDesiredCount: number;
  runningCount: number;
  pendingCount: number;
}

export function stabilityOf(counts: SetCounts, allTargetsHealthy: boolean): 'STEADY_STATE' | 'STABILIZING' {
  return counts.runningCount === counts.computedDesiredCount && counts.pendingCount === 0 && allTargetsHealthy ? 'STEADY_STATE' : 'STABILIZING';
}
