import { CancelledError, DeploymentTimeoutError } from '../errors.js';
import { announce, notifySettings, reload } from './announce.js';
import type { OrchestratorDeps } from './deps.js';
import type { ExecutionData } from './execution-data.js';

/**
 * Advance: close the stage that just finished, check for a cancel request and the deployment's own
 * timeout (spec.timeout), then open the next stage. The check sits between stages so a cancel never
 * interrupts an ECS call half-way.
 */
export async function advance(data: ExecutionData, deps: OrchestratorDeps): Promise<ExecutionData> {
  const { plan, cursor } = data;
  const id = plan.deploymentId;
  const now = deps.now();
  const at = now.toISOString();

  // Back to RUNNING before the approval stage is announced as done, so its event says RUNNING.
  if ((await reload(deps, plan)).status === 'WAITING_APPROVAL') await deps.history.setStatus(id, 'RUNNING', { at });
  if (cursor.index >= 0 && cursor.stage) {
    await deps.history.setStageStatus(id, cursor.index, 'SUCCESS', { at, ...(cursor.detail ? { detail: cursor.detail } : {}) });
    await announce(deps, await reload(deps, plan), 'STAGE_SUCCEEDED', { stage: { index: cursor.index, name: cursor.stage.name } });
  }

  const record = await reload(deps, plan);
  if (record.cancelRequested) throw new CancelledError(`cancelled before ${plan.stages[cursor.index + 1]?.name ?? 'completion'}`);
  const deadline = Date.parse(plan.createdAt) + plan.options.timeoutSeconds * 1000;
  if (now.getTime() > deadline) {
    throw new DeploymentTimeoutError(`deployment exceeded its timeout of ${plan.options.timeoutSeconds}s (spec.timeout)`);
  }

  const index = cursor.index + 1;
  const stage = plan.stages[index];
  const { approval: _approval, error: _error, ...rest } = data;
  if (!stage) return { ...rest, cursor: { index, done: true } };

  await deps.history.setStageStatus(id, index, 'RUNNING', { at });
  await deps.notifier.stageUpdated(await reload(deps, plan), notifySettings(plan));
  return { ...rest, cursor: { index, stage, startedAt: at, done: false } };
}
