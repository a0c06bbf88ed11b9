import { StabilizeFailedError, StableTimeoutError, StepcdError, type ErrorName } from '../errors.js';

/**
 * Rollback waits for a restored task set for at most 1800 s (src/stages/rollback.ts); past this
 * the whole loop gives up, so a rollback that keeps answering "not done" cannot spin forever. The
 * margin covers the route and delete steps either side of that wait.
 */
export const ROLLBACK_LIMIT_SECONDS = 2400;

/**
 * The error a failed stage check becomes. src/stages reports both kinds as a reason text; a
 * stable timeout ("… not STEADY_STATE after 600s …", see src/stages/stability.ts) is told apart so
 * records, events and the ASL see stepcd.StableTimeout rather than stepcd.StabilizeFailed. A stage
 * that names its error (ANALYSIS: stepcd.AnalysisFailed) gets that one.
 */
export function checkFailureError(reason: string, error?: ErrorName): StepcdError {
  if (error) return new StepcdError(error, reason);
  return /not STEADY_STATE after \d+s/.test(reason) ? new StableTimeoutError(reason) : new StabilizeFailedError(reason);
}

/** Whether a rollback that started at `startedAt` (ISO) has run past ROLLBACK_LIMIT_SECONDS at `nowMs`. */
export function rollbackOverdue(startedAt: string, nowMs: number): boolean {
  return nowMs - Date.parse(startedAt) > ROLLBACK_LIMIT_SECONDS * 1000;
}
