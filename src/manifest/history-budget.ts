import type { PlannedStage } from '../domain/plan.js';
import { StageKind } from '../domain/stage-kinds.js';
import type { IssueList } from './issues.js';

/** Step Functions' hard limit on one execution's history; an execution past it fails mid-deployment. */
export const MAX_HISTORY_EVENTS = 25_000;

/**
 * History events each state of statemachines/deployment.asl.json writes (Entered/Exited, plus
 * Scheduled/Started/Succeeded for a task, plus Submitted for a callback task).
 */
const EVENTS = { choice: 2, wait: 2, task: 5, callbackTask: 6 } as const;
/** ExecutionStarted, Init, Prepare, Begin, LockAcquired, Complete, Succeeded, ExecutionSucceeded. */
const FIXED_EVENTS = 2 + EVENTS.choice + 2 + EVENTS.task + EVENTS.choice + EVENTS.task + 2;
/** Advance, RouteStage, the stage's task and NeedsCheck: what every Lambda stage costs before it polls. */
const STAGE_EVENTS = EVENTS.task + EVENTS.choice + EVENTS.task + EVENTS.choice;
/** One WaitStable → CheckStable → IsStable round. */
const POLL_EVENTS = EVENTS.wait + EVENTS.task + EVENTS.choice;
/** Rollback waits up to 30 minutes for a restored set (src/stages/rollback.ts), plus its begin and finish. */
const ROLLBACK_WAIT_SECONDS = 1800;

/** The most history events one stage can write, waiting its full timeout at `pollSeconds`. */
export function stageEvents(stage: PlannedStage, pollSeconds: number): number {
  const polls = (seconds: number) => (Math.ceil(seconds / pollSeconds) + 1) * POLL_EVENTS;
  switch (stage.name) {
    case StageKind.ECS_SYNC:
    case StageKind.ECS_CANARY_ROLLOUT:
    case StageKind.ECS_PRIMARY_ROLLOUT:
      return STAGE_EVENTS + polls(stage.with.stableTimeoutSeconds);
    case StageKind.ANALYSIS:
      return STAGE_EVENTS + polls(stage.with.durationSeconds);
    // Advance, RouteStage and one callback task, however long the wait: neither polls.
    case StageKind.WAIT:
    case StageKind.WAIT_APPROVAL:
      return EVENTS.task + EVENTS.choice + EVENTS.callbackTask;
    default:
      return STAGE_EVENTS + POLL_EVENTS;
  }
}

function reservedEvents(pollSeconds: number): number {
  // RollbackBegin (traffic), RollbackRecord, RollbackStep and FinishFailed.
  const rollback = 4 * EVENTS.task + EVENTS.choice + (Math.ceil(ROLLBACK_WAIT_SECONDS / pollSeconds) + 1) * POLL_EVENTS;
  return FIXED_EVENTS + rollback;
}

/**
 * Refuses a pipeline that could outgrow one execution's history: each ECS stage polls its task set
 * every pollInterval until stable, so a long stableTimeout with a short pollInterval costs as much
 * as many stages. The error gives the stage count that would fit, at this pipeline's average cost.
 */
export function checkHistoryBudget(issues: IssueList, configFile: string, stages: readonly PlannedStage[], pollSeconds: number): void {
  if (stages.length === 0) return;
  const perStage = stages.map((s) => stageEvents(s, pollSeconds));
  const total = reservedEvents(pollSeconds) + perStage.reduce((a, b) => a + b, 0);
  if (total <= MAX_HISTORY_EVENTS) return;
  const average = Math.ceil(perStage.reduce((a, b) => a + b, 0) / stages.length);
  const limit = Math.max(0, Math.floor((MAX_HISTORY_EVENTS - reservedEvents(pollSeconds)) / average));
  issues.error(
    'pipeline',
    configFile,
    'spec.pipeline.stages',
    `could write up to ${total} Step Functions history events (polling every ${pollSeconds}s until each stage's timeout), over the ${MAX_HISTORY_EVENTS} one execution can hold: at most ${limit} stages like these fit; use fewer stages, shorter stage timeouts or a longer spec.stepcd.pollInterval`,
  );
}
