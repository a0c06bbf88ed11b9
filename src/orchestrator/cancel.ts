import { FINAL_STATUSES, type DeploymentStatus } from '../domain/deployment.js';
import { NotFoundError } from '../errors.js';
import type { DeploymentStore } from '../history/deployment-store.js';

export interface CancelDeps {
  history: Pick<DeploymentStore, 'getDeployment' | 'requestCancel'>;
  /**
   * The approval service: fails the open approval token so a waiting execution rolls back now,
   * fails the open stability/ANALYSIS wait token, and resumes a queued one's token so it leaves the
   * queue now.
   */
  approvals: {
    cancelPending(deploymentId: string, opts?: { by?: string }): Promise<number>;
    resumeQueued(app: string, deploymentId: string): Promise<boolean>;
    /** Fails the open stability, ANALYSIS or WAIT token, if any (see ApprovalService.cancelStageWait). */
    cancelStageWait?(deploymentId: string, opts?: { by?: string }): Promise<boolean>;
  };
}

export type CancelResult =
  | { kind: 'already-final'; status: DeploymentStatus; message: string }
  | { kind: 'requested'; status: DeploymentStatus; approvalsCancelled: number; stageWaitCancelled: boolean; message: string };

/**
 * `stepcd cancel` (and Slack's Cancel): marks the deployment cancel-requested with who asked, then
 * fails any open approval token and any open stability/ANALYSIS/WAIT token with stepcd.Cancelled. The flag is what the state machine acts on,
 * in every kind of wait: each stability and ANALYSIS check, the WAIT's token wait as it opens, the advance between
 * stages and each stage's start (then rollback, then CANCELLED), and Begin for a queued deployment, which is resumed from
 * its queue wait for it (CANCELLED, nothing deployed). The flag goes first so that an approval racing with the cancel cannot slip past it.
 */
export async function cancelDeployment(deploymentId: string, deps: CancelDeps, opts: { by?: string } = {}): Promise<CancelResult> {
  const record = await deps.history.getDeployment(deploymentId);
  if (!record) throw new NotFoundError(`no deployment ${deploymentId}`);
  if (FINAL_STATUSES.includes(record.status)) {
    return { kind: 'already-final', status: record.status, message: `deployment ${deploymentId} already finished (${record.status})` };
  }
  await deps.history.requestCancel(deploymentId, opts.by);
  const by = opts.by ? { by: opts.by } : {};
  const approvalsCancelled = await deps.approvals.cancelPending(deploymentId, by);
  const stageWaitCancelled = (await deps.approvals.cancelStageWait?.(deploymentId, by)) ?? false;
  if (record.status === 'PENDING') await deps.approvals.resumeQueued(record.app.name, deploymentId);
  const when = stageWaitCancelled
    ? 'its stability, ANALYSIS or WAIT task token was failed; rolling back now, then CANCELLED'
    : whenItTakesEffect(record.status, approvalsCancelled);
  return {
    kind: 'requested',
    status: record.status,
    approvalsCancelled,
    stageWaitCancelled,
    message: `cancel requested for deployment ${deploymentId} (${record.status}): ${when}`,
  };
}

function whenItTakesEffect(status: DeploymentStatus, approvalsCancelled: number): string {
  if (approvalsCancelled > 0) return 'its pending approval was failed; rolling back now, then CANCELLED';
  switch (status) {
    case 'PENDING':
      return 'it leaves the queue now; nothing is deployed';
    case 'ROLLING_BACK':
      return 'it is already rolling back; the rollback finishes and decides the outcome';
    default:
      return 'it stops within one check of its current wait (stability, WAIT or ANALYSIS) or before its next stage, rolls back, then ends CANCELLED';
  }
}
