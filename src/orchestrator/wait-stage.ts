import type { StageWait } from '../domain/stage-wait.js';
import { CancelledError, InvalidStateError } from '../errors.js';
import type { DeploymentStore } from '../history/deployment-store.js';
import type { StageWaitStore } from '../history/stage-wait-store.js';
import type { WaitTokenPort } from '../stability/index.js';
import type { ExecutionData } from './execution-data.js';

export interface WaitStageDeps {
  history: Pick<DeploymentStore, 'getDeployment'> & StageWaitStore;
  tokens: WaitTokenPort;
  now: () => number;
}

/**
 * The WAIT stage's `lambda:invoke.waitForTaskToken` target. The whole (deadline-bounded) wait is the
 * task's TimeoutSeconds, so an hour costs the same few transitions as a minute: its States.Timeout is
 * the WAIT running its course. The token is stored like a stability wait's, so `stepcd cancel` fails
 * it with stepcd.Cancelled at once (ApprovalService.cancelStageWait); the cancel flag is read only
 * after the token is stored, so a cancel that missed the token is seen here. Idempotent: a retry
 * replaces the wait with its own token.
 */
export async function openWaitStage(data: ExecutionData, taskToken: string, deps: WaitStageDeps): Promise<ExecutionData> {
  const { plan, cursor } = data;
  if (!cursor.startedAt || !cursor.waitEndsAt) throw new InvalidStateError('WAIT opened without its start and end in the cursor');
  const endsAt = Date.parse(cursor.waitEndsAt);
  const wait: StageWait = {
    deploymentId: plan.deploymentId,
    stageIndex: cursor.index,
    taskToken,
    target: { kind: 'duration', startedAt: cursor.startedAt, durationSeconds: Math.max(0, (endsAt - Date.parse(cursor.startedAt)) / 1000) },
    openedAt: new Date(deps.now()).toISOString(),
  };
  await deps.history.openWait(wait);
  const record = await deps.history.getDeployment(plan.deploymentId);
  if (record?.cancelRequested) {
    await deps.history.closeWait(wait);
    throw new CancelledError(`cancelled${byWhom(record.cancelRequestedBy)} during WAIT`);
  }
  // Already over (a zero duration, or a retry past the end): nothing will time out soon enough, so end it now.
  if (deps.now() >= endsAt && (await deps.history.closeWait(wait))) await deps.tokens.resume(taskToken, { woke: 'over' });
  return data;
}

/** ` by <who>` for a cancel reason, when the request recorded who asked. */
export function byWhom(by: string | undefined): string {
  return by ? ` by ${by}` : '';
}
