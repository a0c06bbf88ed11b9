import { FINAL_STATUSES, type DeploymentStatus } from '../domain/deployment.js';
import { NotFoundError } from '../errors.js';
import type { HistoryStore } from '../history/store.js';

export interface CancelDeps {
  history: Pick<HistoryStore, 'getDeployment' | 'requestCancel'>;
  /** The approval service: fails the open task token so a waiting execution rolls back now. */
  approvals: { cancelPending(deploymentId: string, opts?: { by?: string }): Promise<number> };
}

export type CancelResult =
  | { kind: 'already-final'; status: DeploymentStatus; message: string }
  | { kind: 'requested'; status: DeploymentStatus; approvalsCancelled: number; message: string };

/**
 * `stepcd cancel`: marks the deployment cancel-requested, then fails any open approval token with
 * stepcd.Cancelled. The flag is what the state machine acts on: Advance checks it between stages (and
 * rolls back), Begin checks it for a queued deployment (CANCELLED, nothing deployed). The flag goes
 * first so that an approval racing with the cancel cannot let the execution slip past the check.
 */
export async function cancelDeployment(deploymentId: string, deps: CancelDeps, opts: { by?: string } = {}): Promise<CancelResult> {
  const record = await deps.history.getDeployment(deploymentId);
  if (!record) throw new NotFoundError(`no deployment ${deploymentId}`);
  if (FINAL_STATUSES.includes(record.status)) {
    return { kind: 'already-final', status: record.status, message: `deployment ${deploymentId} already finished (${record.status})` };
  }
  await deps.history.requestCancel(deploymentId);
  const approvalsCancelled = await deps.approvals.cancelPending(deploymentId, opts.by ? { by: opts.by } : {});
  const when = approvalsCancelled > 0 ? 'its pending approval was failed; rolling back now' : 'it stops before its next stage';
  return {
    kind: 'requested',
    status: record.status,
    approvalsCancelled,
    message: `cancel requested for deployment ${deploymentId} (${record.status}): ${when}`,
  };
}
