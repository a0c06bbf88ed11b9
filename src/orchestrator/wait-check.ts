import { CancelledError } from '../errors.js';
import { reload } from './announce.js';
import type { OrchestratorDeps } from './deps.js';
import type { ExecutionData } from './execution-data.js';

/**
 * A WAIT stage waits in slices of at most this many seconds (or the app's poll interval, if longer),
 * so a cancel takes effect within one slice instead of at the end of a wait of hours.
 */
export const WAIT_SLICE_SECONDS = 30;

export function waitSlice(remainingSeconds: number, pollIntervalSeconds: number): number {
  return Math.max(0, Math.min(remainingSeconds, Math.max(WAIT_SLICE_SECONDS, pollIntervalSeconds)));
}

/**
 * WaitCheck, between two slices of a WAIT: a cancel request fails the stage with stepcd.Cancelled
 * (rollback follows); otherwise the next slice is set, 0 once the wait has run its course. The end
 * is measured from `waitEndsAt`, so a slow Lambda never stretches the wait.
 */
export async function waitCheck(data: ExecutionData, deps: OrchestratorDeps): Promise<ExecutionData> {
  const record = await reload(deps, data.plan);
  if (record.cancelRequested) throw new CancelledError(`cancelled${byWhom(record.cancelRequestedBy)} during WAIT`);
  const endsAt = data.cursor.waitEndsAt ? Date.parse(data.cursor.waitEndsAt) : deps.now().getTime();
  const remaining = Math.max(0, Math.ceil((endsAt - deps.now().getTime()) / 1000));
  return { ...data, cursor: { ...data.cursor, waitSeconds: waitSlice(remaining, data.plan.options.pollIntervalSeconds) } };
}

/** ` by <who>` for a cancel reason, when the request recorded who asked. */
export function byWhom(by: string | undefined): string {
  return by ? ` by ${by}` : '';
}
