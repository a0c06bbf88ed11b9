import type { WaitTarget } from '../domain/stage-wait.js';
import { AnalysisFailedError, TaskFailedError, type StepcdError } from '../errors.js';
import { judgeAlarms } from '../stages/analysis.js';
import { taskSetStabilityIn } from '../stages/ecs/stability.js';
import { judgeTask } from '../stages/ecs/task-exit.js';
import type { StagePorts } from '../stages/ports.js';

/** What one look at a wait's target says: wake the stage (ready), fail it, or keep waiting. */
export type WaitVerdict = { status: 'ready' | 'pending'; detail: string } | { status: 'failed'; error: StepcdError };

/**
 * One describe of what the stage waits for. Events are hints: this decides. `ready` only wakes the
 * stage, whose own check then does what finishing takes (make a set PRIMARY, prune old sets).
 */
export async function judgeTarget(target: WaitTarget, ports: Pick<StagePorts, 'ecs' | 'alarms' | 'now'>): Promise<WaitVerdict> {
  const elapsedMs = ports.now() - Date.parse(target.startedAt);
  switch (target.kind) {
    case 'task-set': {
      const s = await taskSetStabilityIn(target.cluster, target.service, ports, target.taskSetId, target.startedAt, target.stableTimeoutSeconds);
      return s.status === 'failed' ? s : { status: s.status === 'done' ? 'ready' : 'pending', detail: s.detail };
    }
    case 'task': {
      const task = await ports.ecs.describeTask(target.cluster, target.taskArn);
      if (!task) return { status: 'failed', error: new TaskFailedError(`task ${target.taskArn} is no longer known to ECS`) };
      const verdict = judgeTask(task, new Set(target.essentialContainers));
      if (verdict.status === 'failed') return { status: 'failed', error: new TaskFailedError(verdict.reason) };
      if (verdict.status === 'succeeded') return { status: 'ready', detail: verdict.detail };
      // Past its timeout the stage's own check stops the task and fails: wake it for that.
      if (elapsedMs / 1000 > target.timeoutSeconds) return { status: 'ready', detail: `task still ${task.lastStatus} past ${target.timeoutSeconds}s` };
      return { status: 'pending', detail: `task ${task.lastStatus}` };
    }
    case 'alarms': {
      const verdict = judgeAlarms({ with: target }, await ports.alarms.describeAlarms(target.alarms), elapsedMs);
      if (verdict.status === 'failed') return { status: 'failed', error: new AnalysisFailedError(verdict.reason) };
      return { status: verdict.status === 'done' ? 'ready' : 'pending', detail: verdict.detail };
    }
    case 'duration': {
      const done = elapsedMs / 1000 >= target.durationSeconds;
      return { status: done ? 'ready' : 'pending', detail: done ? `waited ${target.durationSeconds}s` : `waiting ${target.durationSeconds}s` };
    }
  }
}
