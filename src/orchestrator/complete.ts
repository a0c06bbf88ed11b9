import { announce, notifySettings, reload } from './announce.js';
import type { StepDeps } from './deps.js';
import type { ExecutionData } from './execution-data.js';
import { handOffAfterEnd } from './hand-off.js';

/**
 * Complete: SUCCESS, and the new last good version for rollbacks to come. A pipeline that never
 * replaced the primary (a canary-only pipeline) leaves the previous last good in place.
 */
export async function complete(data: ExecutionData, deps: StepDeps): Promise<ExecutionData> {
  const { plan, state } = data;
  const id = plan.deploymentId;
  const at = deps.wallNow().toISOString();
  // A standalone task that ran is the app's deployed version too (commit order, rollback targets); it has no task set.
  const ran = plan.standalone !== undefined || state.primaryTaskSetId !== undefined;
  if (ran && state.taskDefinitionArn) {
    await deps.history.setLastGood(plan.app.name, {
      deploymentId: id,
      commitSha: plan.commit.sha,
      taskDefinitionArn: state.taskDefinitionArn,
      taskSetIds: state.primaryTaskSetId ? [state.primaryTaskSetId] : [],
      at,
    });
  }
  await deps.history.setState(id, state);
  await deps.history.setStatus(id, 'SUCCESS', { at });
  await deps.history.releaseLock(plan.app.name, id);
  await handOffAfterEnd(deps, plan.app.name);
  const record = await reload(deps, plan);
  await announce(deps, record, 'DEPLOYMENT_SUCCEEDED');
  await deps.notifier.deploymentEnded(record, notifySettings(plan));
  return data;
}
