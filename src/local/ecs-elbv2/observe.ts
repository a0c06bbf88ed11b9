import type { Faults } from './faults.js';
import { computedDesiredCount, manualTargetSpan, taskStatusAt, taskTargetSpan, targetHealthAt, type SetCounts, type TargetHealth } from './lifecycle.js';
import type { Task, TaskSet, World } from './state.js';
import type { EmulatorTimings } from './types.js';

/** Read-only views over the world at a moment in time, shared by ECS, ELBv2 and the probe. */
export class Observer {
  constructor(
    private readonly world: World,
    private readonly timings: EmulatorTimings,
    private readonly faults: Faults,
  ) {}

  tasksOf(set: TaskSet): Task[] {
    return [...this.world.tasks.values()].filter((t) => t.taskSetId === set.id);
  }

  countsOf(set: TaskSet, now: number): SetCounts {
    const service = this.world.services.get(set.serviceArn);
    let runningCount = 0;
    let pendingCount = 0;
    for (const task of this.tasksOf(set)) {
      if (task.stopRequestedAt !== undefined) continue;
      const status = taskStatusAt(task, now, this.timings);
      if (status === 'RUNNING') runningCount += 1;
      else if (status === 'PENDING') pendingCount += 1;
    }
    return { computedDesiredCount: service ? computedDesiredCount(set, service) : 0, runningCount, pendingCount };
  }

  /** Whether every target of the set's live tasks is healthy (vacuously true without a load balancer). */
  targetsHealthy(set: TaskSet, now: number): boolean {
    return this.tasksOf(set)
      .filter((t) => t.stopRequestedAt === undefined && t.target)
      .every((t) => this.taskTargetHealth(t, now)?.state === 'healthy');
  }

  taskTargetHealth(task: Task, now: number): TargetHealth | undefined {
    const span = taskTargetSpan(task);
    if (!span || !task.target) return undefined;
    return targetHealthAt(span, now, this.timings, this.faults.failsHealthChecks(task.target.targetGroupArn));
  }

  /** Every target registered in the group now (task targets and RegisterTargets ones), with its health. */
  targetsIn(targetGroupArn: string, now: number): ObservedTarget[] {
    const out: ObservedTarget[] = [];
    const failing = this.faults.failsHealthChecks(targetGroupArn);
    const group = this.world.targetGroups.get(targetGroupArn);
    for (const target of group?.manualTargets ?? []) {
      const health = targetHealthAt(manualTargetSpan(target), now, this.timings, failing);
      if (health) out.push({ id: target.id, port: target.port, health });
    }
    for (const task of this.world.tasks.values()) {
      if (task.target?.targetGroupArn !== targetGroupArn) continue;
      const health = this.taskTargetHealth(task, now);
      if (health) out.push({ id: task.ip, port: task.target.port, health, task });
    }
    return out;
  }
}

export interface ObservedTarget {
  id: string;
  port: number;
  health: TargetHealth;
  /** The ECS task behind the target, when it came from a task set. */
  task?: Task;
}
