import type { Clock } from '../clock.js';
import type { Faults } from './faults.js';
import { taskStatusAt } from './lifecycle.js';
import type { Task, TaskSet, World } from './state.js';
import type { EmulatorTimings } from './types.js';

/** Where the emulator's events go: structurally the local EventBridge bus. */
export interface EcsEventSink {
  publishLocal(event: { source: string; detailType: string; detail: unknown; eventBusName?: string; resources?: string[]; time?: Date }): unknown;
}

interface PendingEvent {
  dueAt: number;
  event: Parameters<EcsEventSink['publishLocal']>[0];
}

/**
 * The ECS events AWS sends to the account's default bus, for what the emulator's world did: an
 * "ECS Service Action" TASKSET_STEADY_STATE when a task set reaches steady state (ECS reports it,
 * so an EXTERNAL service's waiters hear it) and an "ECS Task State Change" when a task reaches
 * STOPPED, with its stop code and reason. Each fact is sent once. The world moves lazily, so `scan`
 * runs on a ticker while a sink is attached.
 */
export class EcsEventEmitter {
  private readonly steadySent = new Map<string, number>();
  private readonly stoppedSent = new Set<string>();
  private pending: PendingEvent[] = [];

  constructor(
    private readonly world: World,
    private readonly timings: EmulatorTimings,
    private readonly clock: Clock,
    private readonly faults: Faults,
    private readonly sink: EcsEventSink,
  ) {}

  scan(now: number): void {
    for (const set of this.world.taskSets.values()) {
      if (set.stabilityStatus !== 'STEADY_STATE' || set.status === 'DRAINING') continue;
      if (this.steadySent.get(set.arn) === set.stabilityStatusAt) continue;
      this.steadySent.set(set.arn, set.stabilityStatusAt);
      this.emit(now, steadyStateEvent(set, set.stabilityStatusAt));
    }
    // One catch-up may replay many crash cycles of a set at once (a clock jump over a crash loop,
    // which ECS itself would throttle): send the newest stop of each set, and count the rest as seen.
    const newestStop = new Map<string, Task>();
    for (const task of this.world.tasks.values()) {
      if (this.stoppedSent.has(task.arn) || taskStatusAt(task, now, this.timings) !== 'STOPPED') continue;
      this.stoppedSent.add(task.arn);
      const group = task.taskSetId || task.arn;
      const seen = newestStop.get(group);
      if (!seen || (task.stoppedAt ?? 0) >= (seen.stoppedAt ?? 0)) newestStop.set(group, task);
    }
    for (const task of newestStop.values()) this.emit(now, taskStoppedEvent(task));
    this.flush(now);
  }

  private emit(now: number, event: PendingEvent['event']): void {
    const fate = this.faults.eventFate();
    if (!fate.lost) this.pending.push({ dueAt: now + fate.delayMs, event });
  }

  private flush(now: number): void {
    const due = this.pending.filter((p) => p.dueAt <= now);
    if (due.length === 0) return;
    this.pending = this.pending.filter((p) => p.dueAt > now);
    for (const { event } of due) this.sink.publishLocal({ ...event, time: new Date(this.clock.now()) });
  }
}

function steadyStateEvent(set: TaskSet, at: number): PendingEvent['event'] {
  return {
    source: 'aws.ecs',
    detailType: 'ECS Service Action',
    eventBusName: 'default',
    resources: [set.serviceArn],
    detail: { eventType: 'INFO', eventName: 'TASKSET_STEADY_STATE', clusterArn: set.clusterArn, createdAt: new Date(at).toISOString(), taskSetArns: [set.arn] },
  };
}

function taskStoppedEvent(task: Task): PendingEvent['event'] {
  const stoppedAt = task.stoppedAt === undefined ? undefined : new Date(task.stoppedAt).toISOString();
  return {
    source: 'aws.ecs',
    detailType: 'ECS Task State Change',
    eventBusName: 'default',
    resources: [task.arn],
    detail: {
      clusterArn: task.clusterArn,
      taskArn: task.arn,
      taskDefinitionArn: task.taskDefinitionArn,
      group: task.group ?? `service:${task.service}`,
      ...((task.startedBy ?? task.taskSetId) ? { startedBy: task.startedBy ?? task.taskSetId } : {}),
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      ...(task.launchType ? { launchType: task.launchType } : {}),
      ...(task.stopCode ? { stopCode: task.stopCode } : {}),
      ...(task.stoppedReason ? { stoppedReason: task.stoppedReason } : {}),
      ...(stoppedAt ? { stoppedAt } : {}),
      // As DescribeTasks shows them: the first container stands for the one a crash fault stops.
      containers: task.containers.map((c, i) => {
        const exitCode = i === 0 && task.exitCode !== undefined ? task.exitCode : c.exitCode;
        const reason = i === 0 && task.containerReason !== undefined ? task.containerReason : c.reason;
        return { name: c.name, image: c.image, lastStatus: 'STOPPED', ...(exitCode !== undefined ? { exitCode } : {}), ...(reason ? { reason } : {}) };
      }),
      version: 3,
    },
  };
}
