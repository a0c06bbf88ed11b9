/**
 * Rollback waits for a restored task set for at most 1800 s (src/stages/rollback.ts); past this
 * the whole loop gives up, so a rollback that keeps answering "not done" cannot spin forever. The
 * margin covers the route and delete steps either side of that wait.
 */
export const ROLLBACK_LIMIT_SECONDS = 2400;

/** Whether a rollback that started at `startedAt` (ISO) has run past ROLLBACK_LIMIT_SECONDS at `nowMs`. */
export function rollbackOverdue(startedAt: string, nowMs: number): boolean {
  return nowMs - Date.parse(startedAt) > ROLLBACK_LIMIT_SECONDS * 1000;
}
