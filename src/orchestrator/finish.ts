import { announce, notifySettings, reload } from './announce.js';
import type { OrchestratorDeps } from './deps.js';
import type { ExecutionData } from './execution-data.js';
import { handOffAfterEnd } from './hand-off.js';
import { describeFailure, outcomeOf } from './reasons.js';

/** Finish (failure path): the final FAILURE or CANCELLED record, the event, the lock released. */
export async function finishFailed(data: ExecutionData, deps: OrchestratorDeps): Promise<ExecutionData> {
  const { plan } = data;
  const id = plan.deploymentId;
  const at = deps.wallNow().toISOString();
  const errorName = data.rollback?.errorName ?? data.error?.Error ?? 'stepcd.Unknown';
  const outcome = data.rollback?.outcome ?? outcomeOf(errorName);
  const failure = data.rollback?.reason ?? describeFailure(data.error, data.cursor?.stage?.name);
  const rolledBack = data.rollback?.needed ? `; ${saidRolledBack(data.rollback.summary ?? 'done')}` : '';
  const noRollback = data.rollback && !data.rollback.needed && !plan.options.autoRollback ? '; autoRollback is off, nothing was rolled back' : '';
  const reason = `${failure}${rolledBack}${noRollback}`;

  await deps.history.setState(id, data.state);
  await deps.history.setStatus(id, outcome, { reason, at });
  await deps.history.releaseLock(plan.app.name, id);
  // Begin can fail while the deployment is queued; a dead entry would make newcomers wait a poll.
  await deps.history.dequeue(plan.app.name, id);
  await handOffAfterEnd(deps, plan.app.name);
  const record = await reload(deps, plan);
  await announce(deps, record, outcome === 'CANCELLED' ? 'DEPLOYMENT_CANCELLED' : 'DEPLOYMENT_FAILED', { reason });
  await deps.notifier.deploymentEnded(record, notifySettings(plan));
  return { ...data, outcome, errorName, reason };
}

/** Rollback summaries may already say "rolled back: …"; the reason says it once. */
function saidRolledBack(summary: string): string {
  return /^rolled back\b/.test(summary) ? summary : `rolled back: ${summary}`;
}
