import type { AppState, DeploymentRecord } from '../domain/deployment.js';
import type { DeploymentPlan, TriggerRef } from '../domain/plan.js';
import { InvalidStateError, NotFoundError } from '../errors.js';
import { deploymentIdFor, executionNameFor } from '../plan/ids.js';
import { quickSyncStages } from '../plan/strategy.js';

/**
 * Pure: the deployment a rollback redeploys. `--to` must name a SUCCESS deployment of the same app
 * other than the live one; without it, the newest SUCCESS before the live deployment whose commit
 * differs from the live commit (an older version, not a redeploy of the same one).
 */
export function chooseRollbackTarget(app: string, appState: AppState, history: readonly DeploymentRecord[], to?: DeploymentRecord): DeploymentRecord {
  const live = appState.lastGood;
  if (to) {
    if (to.app.name !== app) throw new InvalidStateError(`deployment ${to.deploymentId} is of app ${to.app.name}, not ${app}`);
    if (to.status !== 'SUCCESS') {
      throw new InvalidStateError(`deployment ${to.deploymentId} ended ${to.status}: only a SUCCESS deployment can be rolled back to`);
    }
    if (live?.deploymentId === to.deploymentId) throw new InvalidStateError(`deployment ${to.deploymentId} is what ${app} runs now: nothing to roll back`);
    return to;
  }
  if (!live) throw new InvalidStateError(`${app} has no successful deployment yet: nothing to roll back from`);
  const liveRecord = history.find((r) => r.deploymentId === live.deploymentId);
  const before = liveRecord?.createdAt ?? live.at;
  const target = history.find((r) => r.status === 'SUCCESS' && r.createdAt < before && r.commit.sha !== live.commitSha);
  if (!target)
    throw new NotFoundError(`${app} has no successful deployment of another commit before the live one (${live.deploymentId}) in its recent history`);
  return target;
}

export interface RollbackPlanInput {
  recorded: DeploymentPlan;
  actor: string;
  /** A quick sync of the recorded version: one ECS_SYNC (or the standalone task), no canary. */
  quick: boolean;
  now: Date;
}

/**
 * Pure: the recorded plan again, as a new deployment recorded as a rollback by `actor`: the same
 * commit, definitions and options; its pipeline, or one quick-sync stage with `quick`.
 */
export function rollbackPlan({ recorded, actor, quick, now }: RollbackPlanInput): DeploymentPlan {
  const deploymentId = deploymentIdFor({
    repo: recorded.app.repo,
    configPath: `rollback-of:${recorded.deploymentId}`,
    sha: recorded.commit.sha,
    salt: `${actor}:${now.toISOString()}`,
  });
  const trigger: TriggerRef = { kind: 'rollback', actor, rollbackOf: recorded.deploymentId };
  return {
    ...recorded,
    deploymentId,
    executionName: executionNameFor(recorded.app.name, recorded.commit.sha, deploymentId),
    trigger,
    ...(quick ? { strategy: 'QUICK_SYNC' as const, stages: quickSyncStages(recorded.standalone !== undefined) } : {}),
    createdAt: now.toISOString(),
  };
}
