import type { ApprovalRecord, DeploymentRecord } from '../domain/deployment.js';
import { FINAL_STATUSES } from '../domain/deployment.js';
import { mayAct } from './approver-rule.js';

/**
 * Pure approval decisions, shared by the Slack endpoint and the CLI through ApprovalService.
 * Approvers are Slack user ids, resolved at plan time (the stage's own, else the stack allowlist);
 * `*` lets anyone decide, and an empty list lets nobody (ARCHITECTURE §10).
 */
export type ApprovalFacts = Pick<ApprovalRecord, 'approvers' | 'minApproverNum' | 'approvedBy' | 'status' | 'closedBy' | 'expiresAt'>;

export function isAllowedApprover(approval: Pick<ApprovalRecord, 'approvers'>, user: string): boolean {
  return mayAct(approval.approvers, user);
}

/** Approvals still needed after `approvedBy` (distinct users). */
export function approvalsRemaining(approval: Pick<ApprovalRecord, 'minApproverNum' | 'approvedBy'>): number {
  return Math.max(0, approval.minApproverNum - new Set(approval.approvedBy).size);
}

/**
 * Why a click can change nothing, before any write: the approval is closed, the deployment has
 * already ended, or the approval's time is up. Undefined when the approval is open for business.
 */
export type ClosedReason =
  | { why: 'closed'; status: ApprovalRecord['status']; by?: string; approvedBy: string[] }
  | { why: 'deployment-ended'; status: DeploymentRecord['status'] }
  | { why: 'expired' };

export function closedReason(approval: ApprovalFacts, record: Pick<DeploymentRecord, 'status'>, now: Date): ClosedReason | undefined {
  if (approval.status !== 'OPEN') {
    return { why: 'closed', status: approval.status, approvedBy: approval.approvedBy, ...(approval.closedBy ? { by: approval.closedBy } : {}) };
  }
  if (FINAL_STATUSES.includes(record.status)) return { why: 'deployment-ended', status: record.status };
  if (now.getTime() >= Date.parse(approval.expiresAt)) return { why: 'expired' };
  return undefined;
}

/** "this approval is already closed (approved by U1, U2)": what the user who clicked reads. */
export function alreadyClosedMessage(reason: ClosedReason): string {
  return `this approval is already closed (${describeClosed(reason)})`;
}

function describeClosed(reason: ClosedReason): string {
  switch (reason.why) {
    case 'deployment-ended':
      return `the deployment already ended: ${reason.status}`;
    case 'expired':
      return 'timed out';
    case 'closed':
      switch (reason.status) {
        case 'APPROVED':
          return `approved by ${reason.approvedBy.join(', ') || reason.by || 'someone'}`;
        case 'REJECTED':
          return `rejected by ${reason.by ?? 'someone'}`;
        case 'TIMED_OUT':
          return 'timed out';
        case 'CANCELLED':
          return `cancelled${reason.by ? ` by ${reason.by}` : ''}`;
        case 'CLOSED':
        case 'OPEN':
          return 'the deployment moved on';
      }
  }
}
