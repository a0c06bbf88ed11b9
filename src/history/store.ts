import type {
  AppState,
  ApprovalRecord,
  ApprovalVote,
  DeploymentError,
  DeploymentRecord,
  DeploymentState,
  DeploymentStatus,
  LastGood,
  StageStatus,
} from '../domain/deployment.js';
import type { TriggerSettings } from '../gitops/trigger-settings.js';

/**
 * Port over the deployment history table (ARCHITECTURE §6). The DynamoDB implementation only
 * translates; every write that must happen once is a conditional write.
 */
export interface HistoryStore {
  // Deployments
  putDeployment(record: DeploymentRecord): Promise<void>;
  /** Creates the record only if no record with this id exists; returns false if it did. */
  createDeployment(record: DeploymentRecord): Promise<boolean>;
  getDeployment(deploymentId: string): Promise<DeploymentRecord | undefined>;
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

  // App state: lock, queue, last good
  getAppState(app: string): Promise<AppState>;
  /** Every app with app state (it has run a deployment), sorted; reads the whole table, so for rare listings only. */
  listApps(): Promise<string[]>;
  /** Conditional write: takes the lock if free or already ours. */
  tryLock(app: string, deploymentId: string): Promise<boolean>;
  /** Releases only if `deploymentId` holds it; a no-op otherwise. */
  releaseLock(app: string, deploymentId: string): Promise<void>;
  enqueue(app: string, deploymentId: string): Promise<void>;
  dequeue(app: string, deploymentId: string): Promise<void>;
  setLastGood(app: string, lastGood: LastGood): Promise<void>;

  // Approvals (once-only through conditional updates)
  putApproval(record: ApprovalRecord): Promise<void>;
  getApproval(deploymentId: string, stageIndex: number): Promise<ApprovalRecord | undefined>;
  /** Adds a distinct approver while OPEN; returns the updated record, or undefined if closed. */
  addApprover(deploymentId: string, stageIndex: number, user: string): Promise<ApprovalRecord | undefined>;
  /** Moves OPEN → status; returns false if it was no longer OPEN. */
  closeApproval(deploymentId: string, stageIndex: number, status: ApprovalRecord['status'], by?: string): Promise<boolean>;

  // Webhook deliveries (dedupe, with TTL)
  /** Records a delivery id; returns the deployment ids of an earlier identical delivery, or undefined if new. */
  claimDelivery(deliveryId: string, deploymentIds: string[]): Promise<string[] | undefined>;

  // Trigger settings of app configs, by git blob id (immutable; with TTL)
  /** The stored settings for the given blob ids; absent ids are not stored. Values are unchecked JSON. */
  getTriggerSettings(blobIds: readonly string[]): Promise<Map<string, unknown>>;
  /** Stores settings by blob id; overwriting is harmless (same id, same content, same settings). */
  putTriggerSettings(entries: ReadonlyMap<string, TriggerSettings>): Promise<void>;
}
