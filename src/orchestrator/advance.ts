import { CancelledError, DeploymentTimeoutError } from '../errors.js';
import { announce, notifySettings, reload } from './announce.js';
import type { StepDeps } from './deps.js';
import { boundedWait, deploymentDeadline, timeoutMessage } from './deadline.js';
import type { Cursor, ExecutionData } from './execution-data.js';
import { byWhom } from './wait-stage.js';

/**
 * Advance (run by the task that finished the stage; see route.ts): close the stage that just finished, check for a cancel request and the deployment's own
 * timeout (spec.timeout), then open the next stage. The check sits between stages so a cancel never
 * interrupts an ECS call half-way.
 */
export async function advance(data: ExecutionData, deps: StepDeps): Promise<ExecutionData> {
  const { plan, cursor } = data;
  const id = plan.deploymentId;
  const now = deps.now();
  const at = deps.wallNow().toISOString();

  const before = await reload(deps, plan);
  // Back to RUNNING before the approval stage is announced as done, so its event says RUNNING.
  if (before.status === 'WAITING_APPROVAL') await deps.history.setStatus(id, 'RUNNING', { at });
  // A WAIT cut short by the deadline did not run its course: it stays open, and fails with the timeout.
  if (cursor.waitCutShort && cursor.stage?.name === 'WAIT') throw new DeploymentTimeoutError(timeoutMessage(plan));
  // A retried task (its answer lost after it advanced) closes the stage once: one STAGE_SUCCEEDED.
  const closed = before.stages.find((s) => s.index === cursor.index)?.status === 'SUCCESS';
  if (cursor.index >= 0 && cursor.stage && !closed) {
    await deps.history.setStageStatus(id, cursor.index, 'SUCCESS', { at, ...(cursor.detail ? { detail: cursor.detail } : {}) });
    await announce(deps, await reload(deps, plan), 'STAGE_SUCCEEDED', { stage: { index: cursor.index, name: cursor.stage.name } });
  }

  const record = await reload(deps, plan);
  if (record.cancelRequested) {
    throw new CancelledError(`cancelled${byWhom(record.cancelRequestedBy)} before ${plan.stages[cursor.index + 1]?.name ?? 'completion'}`);
  }
  const deadline = deploymentDeadline(data);
  if (now.getTime() > deadline) throw new DeploymentTimeoutError(timeoutMessage(plan));

  const index = cursor.index + 1;
  const stage = plan.stages[index];
  const { approval: _approval, error: _error, ...rest } = data;
  if (!stage) return { ...rest, cursor: { index, done: true } };

  await deps.history.setStageStatus(id, index, 'RUNNING', { at });
  await deps.notifier.stageUpdated(await reload(deps, plan), notifySettings(plan));
  const next: Cursor = { index, stage, startedAt: now.toISOString(), done: false };
  if (stage.name === 'WAIT') {
    const wait = boundedWait(stage.with.durationSeconds, deadline, now.getTime());
    next.waitEndsAt = new Date(now.getTime() + wait.seconds * 1000).toISOString();
    // The WAIT task's TimeoutSeconds (a positive integer on AWS); a zero wait is ended by its own task at once.
    next.waitSeconds = Math.max(1, wait.seconds);
    if (wait.cutShort) next.waitCutShort = true;
  }
  if (stage.name === 'WAIT_APPROVAL') {
    // The approval may not outlive the deployment either: its task times out at the deadline.
    const wait = boundedWait(stage.with.timeoutSeconds, deadline, now.getTime());
    if (wait.cutShort) {
      next.stage = { ...stage, with: { ...stage.with, timeoutSeconds: Math.max(1, wait.seconds) } };
      next.waitCutShort = true;
    }
  }
  return { ...rest, cursor: next };
}
