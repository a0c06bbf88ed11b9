import { DEFAULT_QUEUE_BACKSTOP_SECONDS } from '../config/index.js';
import type { StepDeps } from './deps.js';
import type { ExecutionData } from './execution-data.js';

/**
 * Hands a free lock on: resumes the first queued deployment whose execution waits on a stored token
 * (the ASL's Queued state), which then goes to Begin and takes the lock as any deployment does, with
 * the same ordering rules. Every path that frees the lock or leaves the queue calls this; a held lock
 * is left to its holder, who calls it when it ends.
 *
 * A token whose task no longer waits (its backstop fired, its execution ended) answers "already
 * closed": that deployment is on its way to Begin or gone, so the next one is tried. A deployment
 * between Begin and Queued has no fresh token yet; Queued checks the lock itself once its token is
 * stored (`parkInQueue`), so a release in that gap is not missed either.
 */
export async function handOff(deps: StepDeps, app: string): Promise<string | undefined> {
  const state = await deps.history.getAppState(app);
  if (state.lockHolder !== undefined) return undefined;
  for (const id of state.queue) {
    const token = state.queueTokens?.[id];
    if (token && (await resume(deps, token))) {
      deps.logger.info('handed the lock on', { app, to: id });
      return id;
    }
  }
  return undefined;
}

/**
 * handOff on an end path (success, failure, cancel, supersede, finaliser). The deployment's outcome is
 * already recorded, so a failed SendTaskSuccess must not fail it (a retried Complete or Finish would
 * find its record final, and a caught one would roll back a finished deployment). It is logged as an
 * error, not hidden: the queued deployment's backstop (`queueBackstopSeconds`) takes the lock then.
 */
export async function handOffAfterEnd(deps: StepDeps, app: string): Promise<void> {
  try {
    await handOff(deps, app);
  } catch (err) {
    deps.logger.error('could not hand the lock on; the next queued deployment takes it at its backstop', {
      app,
      error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
    });
  }
}

/**
 * A newcomer joined the queue: resume the deployments already waiting in it, so each runs Begin again
 * and an older commit ends SUPERSEDED now, as it did when queued deployments polled, rather than when
 * the lock is next handed on. Each re-parks on a new token otherwise. A failure only delays that to
 * the next hand-off, so it is logged, not thrown (Begin's retry would not send it again).
 */
export async function nudgeQueued(deps: StepDeps, app: string, newcomer: string): Promise<void> {
  try {
    const state = await deps.history.getAppState(app);
    for (const id of state.queue) {
      const token = id === newcomer ? undefined : state.queueTokens?.[id];
      if (token) await resume(deps, token);
    }
  } catch (err) {
    deps.logger.error('could not resume the queued deployments for a newer one; they re-check at the next hand-off', {
      app,
      error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
    });
  }
}

/**
 * The Queued state's action: store the token this execution now waits on, then look at the lock. A
 * holder that released between Begin's read and this write found no token to resume; the check
 * after the write closes that gap (both writes hit the one app-state item, so one of the two sees
 * the other). A deployment no longer queued (it was dequeued meanwhile) or cancelled is resumed at
 * once and Begin decides what it is.
 */
export async function parkInQueue(data: ExecutionData, taskToken: string, deps: StepDeps): Promise<void> {
  const app = data.plan.app.name;
  const id = data.plan.deploymentId;
  // A cancel between Begin and this write found no token to resume: it is seen here instead.
  if (!(await deps.history.setQueueToken(app, id, taskToken)) || (await deps.history.getDeployment(id))?.cancelRequested) {
    await resume(deps, taskToken);
    return;
  }
  await handOff(deps, app);
}

/** The Queued state's TimeoutSecondsPath: the backstop for a lost hand-off. */
export function queueBackstopSeconds(deps: StepDeps): number {
  return deps.queueBackstopSeconds ?? DEFAULT_QUEUE_BACKSTOP_SECONDS;
}

/** SendTaskSuccess; false when the task no longer waits. */
function resume(deps: StepDeps, token: string): Promise<boolean> {
  return deps.tokens.resume(token, { handedOff: true });
}
