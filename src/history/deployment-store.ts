import type { ApprovalVote, DeploymentError, DeploymentRecord, DeploymentState, DeploymentStatus, StageStatus } from '../domain/deployment.js';

/**
 * Port over the deployment records of the history table (ARCHITECTURE §6): one record per
 * deployment, its stages, votes and errors. Final statuses stick; writes to a missing record throw
 * NotFoundError.
 */
export interface DeploymentStore {
  putDeployment(record: DeploymentRecord): Promise<void>;
  /** Creates the record only if no record with this id exists; returns false if it did. */
  createDeployment(record: DeploymentRecord): Promise<boolean>;
  getDeployment(deploymentId: string): Promise<DeploymentRecord | undefined>;
  /** The records that exist among `deploymentIds`, by id (consistent reads, as getDeployment). */
  getDeployments(deploymentIds: readonly string[]): Promise<Map<string, DeploymentRecord>>;
  listByApp(app: string, opts?: { limit?: number }): Promise<DeploymentRecord[]>;
  listActive(): Promise<DeploymentRecord[]>;
  setStatus(deploymentId: string, status: DeploymentStatus, opts?: { reason?: string; at?: string }): Promise<void>;
  setStageStatus(deploymentId: string, stageIndex: number, status: StageStatus, opts?: { detail?: string; at?: string }): Promise<void>;
  setState(deploymentId: string, state: DeploymentState): Promise<void>;
  setExecution(deploymentId: string, executionArn: string): Promise<void>;
  addError(deploymentId: string, error: DeploymentError): Promise<void>;
  addApprovalVote(deploymentId: string, vote: ApprovalVote): Promise<void>;
  /** Flags the deployment cancel-requested, recording who asked. */
  requestCancel(deploymentId: string, by?: string): Promise<void>;
  setNotificationRef(deploymentId: string, ref: { channel: string; ts: string }): Promise<void>;
}
