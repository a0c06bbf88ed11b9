import { NotFoundError } from '../errors.js';
import type { RollbackDeps } from './ports.js';
import { chooseRollbackTarget, rollbackPlan } from './rollback-target.js';
import { startDeployment, type Started } from './start.js';

export interface RollbackRequest {
  app: string;
  /** The earlier deployment to redeploy; the last good one before the live one when absent. */
  to?: string;
  quick: boolean;
  actor: string;
}

export interface RollbackResult extends Started {
  app: string;
  rollbackOf: string;
  commit: string;
  strategy: 'QUICK_SYNC' | 'PIPELINE';
}

/** How far back a rollback without --to looks for the previous good version. */
const HISTORY_LOOKBACK = 50;

/**
 * `stepcd rollback`: redeploys an earlier SUCCESS deployment's recorded plan (its execution input),
 * through its pipeline or as a quick sync, as a new deployment of kind rollback. It takes the same
 * lock and queue as a push; Begin lets it replace the newer live commit, which no push may do.
 */
export async function rollbackApp(req: RollbackRequest, deps: RollbackDeps): Promise<RollbackResult> {
  const [appState, history] = await Promise.all([deps.history.getAppState(req.app), deps.history.listByApp(req.app, { limit: HISTORY_LOOKBACK })]);
  const named = req.to === undefined ? undefined : await deps.history.getDeployment(req.to);
  if (req.to !== undefined && !named) throw new NotFoundError(`no deployment ${req.to}`);
  const target = chooseRollbackTarget(req.app, appState, history, named);
  const recorded = await deps.planOf(target);
  if (!recorded) {
    throw new NotFoundError(
      `the plan of deployment ${target.deploymentId} is no longer kept (Step Functions keeps execution input 90 days): push its commit instead`,
    );
  }
  const plan = rollbackPlan({ recorded, actor: req.actor, quick: req.quick, now: deps.now() });
  const started = await startDeployment(plan, deps);
  return { ...started, app: req.app, rollbackOf: target.deploymentId, commit: plan.commit.sha, strategy: plan.strategy };
}
