import type { ApprovalRecord } from '../domain/deployment.js';

/** Port over the approval items: one per WAIT_APPROVAL stage, closed once only through conditional updates. */
export interface ApprovalStore {
  putApproval(record: ApprovalRecord): Promise<void>;
  getApproval(deploymentId: string, stageIndex: number): Promise<ApprovalRecord | undefined>;
  /** Adds a distinct approver while OPEN; returns the updated record, or undefined if closed. */
  addApprover(deploymentId: string, stageIndex: number, user: string): Promise<ApprovalRecord | undefined>;
  /** Moves OPEN → status; returns false if it was no longer OPEN. */
  closeApproval(deploymentId: string, stageIndex: number, status: ApprovalRecord['status'], by?: string): Promise<boolean>;
}
