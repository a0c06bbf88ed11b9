import { ECS_STAGE_KINDS } from '../domain/stage-kinds.js';
import { ErrorName } from '../errors.js';
import { announce, notifySettings, reload } from './announce.js';
import type { OrchestratorDeps } from './deps.js';
import type { ExecutionData } from './execution-data.js';
import { timeoutMessage } from './deadline.js';
import { describeFailure, outcomeOf } from './reasons.js';
import { mergeStates } from './state-merge.js';

/**
 * RollbackBegin: the ASL's Catch lands here for every failure, rejection, timeout and cancel. It
 * records what failed and decides whether ECS needs rolling back: only when auto-rollback is on and
 * an ECS stage had started (a failure in WAIT before any ECS stage changed nothing).
 */
export async function rollbackBegin(data: ExecutionData, deps: OrchestratorDeps): Promise<ExecutionData> {
  const { plan, cursor, error } = data;
  const id = plan.deploymentId;
  const at = deps.wallNow().toISOString();
  const stage = cursor.stage;
  // An approval whose wait was capped at the deployment's deadline timed out because of spec.timeout.
  const deadlineHit = error?.Error === 'States.Timeout' && stage?.name === 'WAIT_APPROVAL' && cursor.waitCutShort;
  const reason = deadlineHit ? `${timeoutMessage(plan)} while waiting for approval` : describeFailure(error, stage?.name);
  const errorName = error?.Error ?? 'stepcd.Unknown';
  const outcome = outcomeOf(errorName);

  // A cancel or the deployment timeout found by the advance after it closed the stage: that stage
  // succeeded, and the failure belongs to the deployment, not to it.
  const failedStage = stage && (await stageStillRunning(deps, plan, cursor.index)) ? stage : undefined;
  if (failedStage) {
    await deps.history.setStageStatus(id, cursor.index, outcome === 'CANCELLED' ? 'CANCELLED' : 'FAILURE', { at, detail: reason });
    if (failedStage.name === 'WAIT_APPROVAL') await closeOpenApproval(deps, id, cursor.index, errorName);
  }
  await deps.history.addError(id, { at, ...(failedStage ? { stage: failedStage.name } : {}), error: errorName, cause: reason });
  if (failedStage) {
    await announce(deps, await reload(deps, plan), 'STAGE_FAILED', { stage: { index: cursor.index, name: failedStage.name }, reason });
  }

  // The persisted state may know of a task set the in-flight data lost when a Lambda threw mid-stage.
  const state = mergeStates((await reload(deps, plan)).state, data.state);
  const ecsStarted = plan.stages.some((s) => s.index <= cursor.index && ECS_STAGE_KINDS.includes(s.name));
  const needed = plan.options.autoRollback && (state.touched || ecsStarted);

  if (needed) {
    await deps.history.setStatus(id, 'ROLLING_BACK', { reason, at });
    const record = await reload(deps, plan);
    await announce(deps, record, 'DEPLOYMENT_ROLLING_BACK', { reason });
    await deps.notifier.stageUpdated(record, notifySettings(plan));
  }
  return { ...data, state, rollback: { needed, done: false, reason, outcome, errorName, startedAt: deps.now().toISOString() } };
}

async function stageStillRunning(deps: OrchestratorDeps, plan: ExecutionData['plan'], index: number): Promise<boolean> {
  const record = await reload(deps, plan);
  const status = record.stages.find((s) => s.index === index)?.status;
  return status === undefined || status === 'RUNNING' || status === 'NOT_STARTED';
}

async function closeOpenApproval(deps: OrchestratorDeps, id: string, stageIndex: number, errorName: string) {
  const status = errorName === 'States.Timeout' ? 'TIMED_OUT' : errorName === ErrorName.Cancelled ? 'CANCELLED' : 'CLOSED';
  // Once-only: a no-op when the approval service already closed it (reject, cancel).
  await deps.history.closeApproval(id, stageIndex, status);
}
