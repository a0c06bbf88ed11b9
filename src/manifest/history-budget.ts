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
/** ExecutionStarted, Init, Prepare, Begin, Route, Complete (after a last wait), Succeeded, ExecutionSucceeded. */
const FIXED_EVENTS = 2 + EVENTS.choice + 2 + EVENTS.task + EVENTS.choice + EVENTS.task + 2;
/** The stage's task (which also advanced to the next stage) and Route: what every Lambda stage costs before it waits. */
const STAGE_EVENTS = EVENTS.task + EVENTS.choice;
/** One WaitRollback → RollbackStep → RollbackDone round of the rollback's poll. */
const POLL_EVENTS = EVENTS.wait + EVENTS.task + EVENTS.choice;
/** A wake: CheckStable and Route after ecs-events (or a found-ready target) resumes WaitStable. */
const WAKE_EVENTS = EVENTS.task + EVENTS.choice;
/** Rollback waits up to 30 minutes for a restored set (src/stages/rollback.ts), plus its begin and finish. */
const ROLLBACK_WAIT_SECONDS = 1800;

/**
 * The most history events one stage can write. A stage waiting for ECS sleeps on a task token in
 * slices of at most `backstopSeconds` until its timeout (src/stability/target.ts waitSliceSeconds):
 * one WaitStable entry per slice plus the one that finds the timeout passed, and each entry may end
 * in a wake. A wake only comes when a look says ready or failed, so this bounds it from above.
 */
export function stageEvents(stage: PlannedStage, backstopSeconds: number): number {
  const sliced = (timeoutSeconds: number) => {
    const entries = Math.ceil((Math.ceil(timeoutSeconds) + 1) / Math.max(1, backstopSeconds)) + 1;
    return STAGE_EVENTS + entries * (EVENTS.callbackTask + WAKE_EVENTS);
  };
  switch (stage.name) {
    case StageKind.ECS_SYNC:
    case StageKind.ECS_CANARY_ROLLOUT:
    case StageKind.ECS_PRIMARY_ROLLOUT:
      return sliced(stage.with.stableTimeoutSeconds);
    case StageKind.ECS_RUN_TASK:
      return sliced(stage.with.timeoutSeconds);
    // ANALYSIS waits its whole window at once; alarm events fail it early, the look at the end decides.
    case StageKind.ANALYSIS:
      return STAGE_EVENTS + 2 * (EVENTS.callbackTask + WAKE_EVENTS);
    // One callback task however long the wait (neither polls), AfterWait, and Advance and Route when
    // another wait follows it.
    case StageKind.WAIT:
    case StageKind.WAIT_APPROVAL:
      return EVENTS.callbackTask + EVENTS.choice + EVENTS.task + EVENTS.choice;
    default:
      return STAGE_EVENTS;
  }
}

function reservedEvents(pollSeconds: number): number {
  // RollbackBegin (traffic), RollbackRecord, RollbackStep and FinishFailed.
  const rollback = 4 * EVENTS.task + EVENTS.choice + (Math.ceil(ROLLBACK_WAIT_SECONDS / pollSeconds) + 1) * POLL_EVENTS;
  return FIXED_EVENTS + rollback;
}

/**
 * Refuses a pipeline that could outgrow one execution's history: each ECS stage looks at its task
 * set once per stability backstop slice until its timeout, so a long stableTimeout with a short
 * spec.stepcd.stabilityBackstop costs as much as many stages; the rollback reserve polls every
 * pollInterval. The error gives the stage count that would fit, at this pipeline's average cost.
 */
export function checkHistoryBudget(
  issues: IssueList,
  configFile: string,
  stages: readonly PlannedStage[],
  timing: { pollSeconds: number; backstopSeconds: number },
): void {
  if (stages.length === 0) return;
  const perStage = stages.map((s) => stageEvents(s, timing.backstopSeconds));
  const reserved = reservedEvents(timing.pollSeconds);
  const total = reserved + perStage.reduce((a, b) => a + b, 0);
  if (total <= MAX_HISTORY_EVENTS) return;
  const average = Math.ceil(perStage.reduce((a, b) => a + b, 0) / stages.length);
  const limit = Math.max(0, Math.floor((MAX_HISTORY_EVENTS - reserved) / average));
  issues.error(
    'pipeline',
    configFile,
    'spec.pipeline.stages',
    `could write up to ${total} Step Functions history events (a stability check every ${timing.backstopSeconds}s until each stage's timeout, a rollback polling every ${timing.pollSeconds}s), over the ${MAX_HISTORY_EVENTS} one execution can hold: at most ${limit} stages like these fit; use fewer stages, shorter stage timeouts or a longer spec.stepcd.stabilityBackstop (or pollInterval)`,
  );
}
