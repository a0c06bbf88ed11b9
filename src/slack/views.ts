import type { DeploymentRecord } from '../domain/deployment.js';
import type { ApprovalStore } from '../history/approval-store.js';
import type { ApprovalRequestInfo } from './notifier.js';
import { toApprovalView, type ApprovalView } from './blocks.js';

/**
 * The approvals a message shows: one per WAIT_APPROVAL stage that has started, read from history so
 * every caller renders the same state. `fresh` (just written by the caller) wins over what was read.
 */
export async function loadApprovalViews(history: Pick<ApprovalStore, 'getApproval'>, record: DeploymentRecord, fresh?: ApprovalView): Promise<ApprovalView[]> {
  const started = record.stages.filter((s) => s.name === 'WAIT_APPROVAL' && s.status !== 'NOT_STARTED');
  const views: ApprovalView[] = [];
  for (const stage of started) {
    if (fresh && fresh.stageIndex === stage.index) {
      views.push(fresh);
      continue;
    }
    const approval = await history.getApproval(record.deploymentId, stage.index);
    if (approval) views.push(toApprovalView(approval));
  }
  if (fresh && !views.some((v) => v.stageIndex === fresh.stageIndex)) views.push(fresh);
  return views.sort((a, b) => a.stageIndex - b.stageIndex);
}

/** The view of an approval just requested: open, no votes yet. Both notifier kinds render it. */
export function openApprovalView(record: DeploymentRecord, request: ApprovalRequestInfo, now: Date): ApprovalView {
  return {
    deploymentId: record.deploymentId,
    stageIndex: request.stageIndex,
    approvers: request.approvers,
    minApproverNum: request.minApproverNum,
    approvedBy: [],
    status: 'OPEN',
    createdAt: now.toISOString(),
    expiresAt: request.expiresAt,
  };
}
