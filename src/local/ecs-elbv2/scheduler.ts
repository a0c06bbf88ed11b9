import type { ArnFactory } from './ids.js';
import { hexOf } from './ids.js';
import type { CrashCause, Faults } from './faults.js';
import { computedDesiredCount, stabilityOf, taskStatusAt, wasRegistered } from './lifecycle.js';
import type { Observer } from './observe.js';
import type { Cluster, Tag, Task, TaskDefinition, TaskSet, World } from './state.js';
import type { EmulatorTimings } from './types.js';

/**
 * Even a task that crashes the moment it starts takes this long per cycle, so a long clock jump over a
 * crash loop stays a bounded amount of work (ECS itself throttles restarts of a failing service).
 */
const MIN_CRASH_CYCLE_MS = 1_000;
/** Stopped tasks kept per task set for DescribeTasks, newest first (ECS forgets old ones too). */
const STOPPED_TASKS_KEPT = 50;
const MAX_EVENTS_PER_RECONCILE = 100_000;

export interface StandaloneSpec {
  cluster: Cluster;
  definition: TaskDefinition;
  launchType?: string;
  group: string;
  startedBy?: string;
  clientToken?: string;
  tags: Tag[];
}

/**
 * The ECS scheduler: the only code that creates and stops tasks. `reconcile(now)` catches the world up
 * to the clock (crashes and their replacements, drained task sets, stability) before every request.
 */
export class Scheduler {
  constructor(
    private readonly world: World,
    private readonly arns: ArnFactory,
    private readonly timings: EmulatorTimings,
    private readonly faults: Faults,
    private readonly observer: Observer,
  ) {}

  reconcile(now: number): void {
    this.replayCrashes(now);
    this.finishStandaloneTasks(now);
    this.removeDrainedTaskSets(now);
    this.retireDrainedServices();
    this.updateStability(now);
    this.pruneStoppedTasks();
  }

  /** Starts or stops tasks so the set runs its computed desired count, deciding at time `at`. */
  scale(set: TaskSet, at: number): void {
    const service = this.world.services.get(set.serviceArn);
    if (!service) return;
    const desired = computedDesiredCount(set, service);
    const live = this.observer.tasksOf(set).filter((t) => t.stopRequestedAt === undefined);
    for (let i = live.length; i < desired; i++) this.startTask(set, at);
    if (live.length <= desired) return;
    // Scale in the tasks that matter least first: pending before running, newest before oldest.
    const victims = [...live].sort((a, b) => Number(b.runningAt > at) - Number(a.runningAt > at) || b.createdAt - a.createdAt).slice(0, live.length - desired);
    for (const task of victims) {
      this.stopTask(task, at, `Scaling activity initiated by (deployment ${set.id})`, 'ServiceSchedulerInitiated');
    }
  }

  private startTask(set: TaskSet, at: number): Task {
    const seq = ++this.world.seq;
    const id = hexOf(`task:${set.arn}:${seq}`, 32);
    const definition = this.world.taskDefinitions.get(set.taskDefinitionArn);
    const lb = set.loadBalancers[0];
    const task: Task = {
      id,
      arn: this.arns.task(set.cluster, id),
      cluster: set.cluster,
      clusterArn: set.clusterArn,
      service: set.service,
      taskSetId: set.id,
      taskDefinitionArn: set.taskDefinitionArn,
      launchType: set.launchType,
      containers: (definition?.containerDefinitions ?? []).map((c) => ({ name: c.name, image: c.image, essential: c.essential !== false })),
      ip: `10.0.${Math.floor(seq / 250) % 256}.${(seq % 250) + 2}`,
      target: lb?.targetGroupArn ? { targetGroupArn: lb.targetGroupArn, port: lb.containerPort ?? 80 } : undefined,
      createdAt: at,
      runningAt: at + this.timings.taskStartMs,
    };
    this.world.tasks.set(id, task);
    return task;
  }

  /** RunTask: a task outside any service, whose containers exit on their own (see Faults.exitCodes). */
  runStandalone(spec: StandaloneSpec, at: number): Task {
    const seq = ++this.world.seq;
    const id = hexOf(`task:${spec.definition.arn}:${seq}`, 32);
    const containers = spec.definition.containerDefinitions.map((c) => ({ name: c.name, image: c.image, essential: c.essential !== false }));
    let runMs = this.timings.standaloneRunMs;
    const exits = containers.map(() => ({ exitCode: 0, reason: undefined as string | undefined }));
    for (const rule of this.faults.exitRulesFor(
      spec.definition.family,
      containers.map((c) => c.image),
    )) {
      if (rule.runMs !== undefined) runMs = rule.runMs;
      containers.forEach((c, i) => {
        if (rule.container === undefined || rule.container === c.name) exits[i] = { exitCode: rule.exitCode, reason: rule.reason };
      });
    }
    const runningAt = at + this.timings.taskStartMs;
    const task: Task = {
      id,
      arn: this.arns.task(spec.cluster.name, id),
      cluster: spec.cluster.name,
      clusterArn: spec.cluster.arn,
      service: '',
      taskSetId: '',
      taskDefinitionArn: spec.definition.arn,
      launchType: spec.launchType,
      containers,
      ip: `10.1.${Math.floor(seq / 250) % 256}.${(seq % 250) + 2}`,
      createdAt: at,
      runningAt,
      group: spec.group,
      exitsAt: runningAt + runMs,
      exitPlan: exits,
      ...(spec.startedBy !== undefined && { startedBy: spec.startedBy }),
      ...(spec.clientToken !== undefined && { clientToken: spec.clientToken }),
      tags: spec.tags,
    };
    this.world.tasks.set(id, task);
    return task;
  }

  /** StopTask: the containers get SIGTERM then SIGKILL (137); a task set's task is replaced by ECS. */
  stopByUser(task: Task, at: number, reason: string): void {
    if (task.stopRequestedAt !== undefined) return;
    const wasRunning = at >= task.runningAt;
    this.stopTask(task, at, reason, 'UserInitiated');
    if (wasRunning) for (const c of task.containers) c.exitCode ??= 137;
    const set = this.world.taskSets.get(task.taskSetId);
    if (set && set.status !== 'DRAINING') this.scale(set, at);
  }

  private finishStandaloneTasks(now: number): void {
    for (const task of this.world.tasks.values()) {
      if (task.exitsAt === undefined || task.stopRequestedAt !== undefined || task.exitsAt > now) continue;
      task.containers.forEach((c, i) => {
        const exit = task.exitPlan?.[i];
        c.exitCode = exit?.exitCode ?? 0;
        if (exit?.reason !== undefined) c.reason = exit.reason;
      });
      task.stopRequestedAt = task.exitsAt;
      task.stoppedAt = task.exitsAt + this.timings.taskStopMs;
      task.stopCode = 'EssentialContainerExited';
      task.stoppedReason = 'Essential container in task exited';
    }
  }

  private stopTask(task: Task, at: number, reason: string, code: NonNullable<Task['stopCode']>): void {
    task.stopRequestedAt = at;
    task.stoppedReason = reason;
    task.stopCode = code;
    // A task behind a load balancer drains its target before ECS stops it.
    task.stoppedAt = at + (wasRegistered(task) ? this.timings.drainMs : 0) + this.timings.taskStopMs;
  }

  /**
   * Applies crash faults in time order: a crash at t stops the task at t and ECS starts a replacement
   * at t, which may itself crash later. Done as a replay so a clock jump sees every intermediate crash.
   */
  private replayCrashes(now: number): void {
    for (let n = 0; n < MAX_EVENTS_PER_RECONCILE; n++) {
      const next = this.nextCrash(now);
      if (!next) return;
      const { task, at, reason, cause, period } = next;
      if (cause === 'exit') {
        task.stopRequestedAt = at;
        task.stoppedAt = at;
        task.stoppedReason = reason;
        task.stopCode = 'EssentialContainerExited';
        task.exitCode = 1;
        task.containerReason = reason;
      } else {
        // The scheduler stops an unhealthy task as it scales one in (its target drains first), with
        // the reason ECS gives; its containers get SIGTERM, then SIGKILL.
        const why =
          cause === 'elb-health-check'
            ? `Task failed ELB health checks in (target-group ${task.target?.targetGroupArn ?? ''})`
            : 'Task failed container health checks';
        this.stopTask(task, at, why, 'ServiceSchedulerInitiated');
        task.exitCode = 137;
      }
      const set = this.world.taskSets.get(task.taskSetId);
      if (!set || set.status === 'DRAINING') continue;
      // Over a long clock jump, cycles older than the kept history would be pruned anyway: start the
      // replacement that many whole cycles later instead of replaying each one.
      const skippedCycles = Math.max(0, Math.floor((now - at) / period) - STOPPED_TASKS_KEPT);
      this.scale(set, at + skippedCycles * period);
    }
  }

  private nextCrash(now: number): { task: Task; at: number; reason: string; cause: CrashCause; period: number } | undefined {
    let next: { task: Task; at: number; reason: string; cause: CrashCause; period: number } | undefined;
    for (const task of this.world.tasks.values()) {
      if (task.stopRequestedAt !== undefined) continue;
      const set = this.world.taskSets.get(task.taskSetId);
      const definition = this.world.taskDefinitions.get(task.taskDefinitionArn);
      const rule = this.faults.crashRuleFor({
        family: definition?.family ?? '',
        images: task.containers.map((c) => c.image),
        taskSetId: task.taskSetId,
        taskSetArn: set?.arn ?? '',
      });
      // A task without a load balancer has no ELB health checks to fail.
      if (!rule || (rule.cause === 'elb-health-check' && !task.target)) continue;
      const at = Math.max(task.runningAt + rule.afterMs, rule.since, task.createdAt + MIN_CRASH_CYCLE_MS);
      const period = Math.max(this.timings.taskStartMs + rule.afterMs, MIN_CRASH_CYCLE_MS);
      if (at <= now && (!next || at < next.at)) next = { task, at, reason: rule.reason, cause: rule.cause, period };
    }
    return next;
  }

  /** A deleted set disappears once its last task has stopped. */
  private removeDrainedTaskSets(now: number): void {
    for (const set of [...this.world.taskSets.values()]) {
      if (set.status !== 'DRAINING') continue;
      const stillStopping = this.observer.tasksOf(set).some((t) => taskStatusAt(t, now, this.timings) !== 'STOPPED');
      if (stillStopping) continue;
      this.world.taskSets.delete(set.id);
      const service = this.world.services.get(set.serviceArn);
      if (service) service.taskSetIds = service.taskSetIds.filter((id) => id !== set.id);
    }
  }

  private retireDrainedServices(): void {
    for (const service of this.world.services.values()) {
      if (service.status === 'DRAINING' && service.taskSetIds.length === 0) service.status = 'INACTIVE';
    }
  }

  private updateStability(now: number): void {
    for (const set of this.world.taskSets.values()) {
      const stability = stabilityOf(this.observer.countsOf(set, now), this.observer.targetsHealthy(set, now));
      if (stability !== set.stabilityStatus) {
        set.stabilityStatus = stability;
        set.stabilityStatusAt = now;
      }
    }
  }

  private pruneStoppedTasks(): void {
    const stoppedBySet = new Map<string, Task[]>();
    for (const task of this.world.tasks.values()) {
      if (task.stoppedAt === undefined) continue;
      const list = stoppedBySet.get(task.taskSetId) ?? [];
      list.push(task);
      stoppedBySet.set(task.taskSetId, list);
    }
    for (const list of stoppedBySet.values()) {
      if (list.length <= STOPPED_TASKS_KEPT) continue;
      list.sort((a, b) => (b.stoppedAt ?? 0) - (a.stoppedAt ?? 0));
      for (const task of list.slice(STOPPED_TASKS_KEPT)) this.world.tasks.delete(task.id);
    }
  }
}
