import type { AppRef, CommitRef, TriggerRef } from './plan.js';
import type { StageKind } from './stage-kinds.js';

export const DeploymentStatus = {
  PENDING: 'PENDING',
  RUNNING: 'RUNNING',
  WAITING_APPROVAL: 'WAITING_APPROVAL',
  ROLLING_BACK: 'ROLLING_BACK',
  SUCCESS: 'SUCCESS',
  FAILURE: 'FAILURE',
  CANCELLED: 'CANCELLED',
  SUPERSEDED: 'SUPERSEDED',
  TRIGGER_FAILED: 'TRIGGER_FAILED',
} as const;
export type DeploymentStatus = (typeof DeploymentStatus)[keyof typeof DeploymentStatus];

export const FINAL_STATUSES: readonly DeploymentStatus[] = ['SUCCESS', 'FAILURE', 'CANCELLED', 'SUPERSEDED', 'TRIGGER_FAILED'];

export const StageStatus = {
  NOT_STARTED: 'NOT_STARTED',
  RUNNING: 'RUNNING',
  SUCCESS: 'SUCCESS',
  FAILURE: 'FAILURE',
  SKIPPED: 'SKIPPED',
  CANCELLED: 'CANCELLED',
} as const;
export type StageStatus = (typeof StageStatus)[keyof typeof StageStatus];

export interface StageRecord {
  index: number;
  name: StageKind;
  status: StageStatus;
  startedAt?: string;
  endedAt?: string;
  detail?: string;
}

export interface ApprovalVote {
  user: string;
  at: string;
  decision: 'APPROVE' | 'REJECT';
  via: 'slack' | 'cli' | 'api';
  /** The display name the CLI's `--as` gave; `user` is the caller's AWS identity then. */
  as?: string;
}

export interface DeploymentError {
  at: string;
  stage?: string;
  error: string;
  cause: string;
}

/** The history row of one deployment (ARCHITECTURE §6, `PK=DEP#<id>`). */
export interface DeploymentRecord {
  deploymentId: string;
  app: AppRef;
  commit: CommitRef;
  trigger: TriggerRef;
  strategy: 'QUICK_SYNC' | 'PIPELINE' | 'NONE';
  status: DeploymentStatus;
  /** Why it ended (or failed to trigger), in one line a human can act on. */
  reason?: string;
  stages: StageRecord[];
  approvals: ApprovalVote[];
  errors: DeploymentError[];
  executionName?: string;
  executionArn?: string;
  cancelRequested?: boolean;
  /** Who asked for the cancel: a Slack user id, or the caller's AWS ARN from the CLI. */
  cancelRequestedBy?: string;
  /** The ECS service the deployment targets (for event `resources` and messages). */
  service?: { cluster: string; serviceName: string };
  /** The app's approver rule for Slack actions on this deployment (from the plan, see PlanOptions.approvers). */
  approvers?: string[];
  /** The one Slack message kept current for this deployment. */
  notification?: { channel: string; ts: string };
  /** The working state of the execution, persisted after each stage so that a finaliser can roll back. */
  state?: DeploymentState;
  createdAt: string;
  updatedAt: string;
  endedAt?: string;
}

/**
 * What an execution has done to ECS so far. It travels in the execution data (`$.state`) and is
 * copied into the deployment record after every stage. Rollback works from it alone plus app state.
 */
export interface DeploymentState {
  /** Registered once per deployment and reused by every stage (PipeCD #4592). */
  taskDefinitionArn?: string;
  /** Set when this deployment created the service (first deployment). */
  serviceCreated?: boolean;
  canaryTaskSetId?: string;
  /** The PRIMARY set this deployment created (ECS_SYNC or ECS_PRIMARY_ROLLOUT). */
  primaryTaskSetId?: string;
  /** The PRIMARY set that was serving before this deployment replaced it. */
  previousPrimaryTaskSetId?: string;
  /** Its task definition: the rollback target when the service predates stepcd (no last good yet). */
  previousPrimaryTaskDefinitionArn?: string;
  /** Every task set this deployment created, for rollback. */
  createdTaskSetIds: string[];
  /** Rule ARNs whose weights this deployment changed. */
  routedRuleArns: string[];
  /** ECS_RUN_TASK: the task each stage started, by stage index, so a retried start reuses it and rollback stops it. */
  runTaskArns?: Record<string, string>;
  /** True once any ECS or ELBv2 mutation happened. */
  touched: boolean;
  /**
   * The listener rules as they stood before this deployment first changed a weight, taken from the
   * reads that change made: rollback writes them back first, before it reads anything.
   */
  trafficRestore?: TrafficRestore;
}

export interface TrafficRestore {
  targetGroups: { primary: string; canary: string };
  rules: RuleSnapshot[];
}

/** One rule (or a listener's default action) as read: its action list is written back verbatim. */
export interface RuleSnapshot {
  ruleArn: string;
  listenerArn: string;
  isDefault: boolean;
  weights: { primary: number; canary: number };
  /** The action list as ELBv2 returned it (the adapter's shape; stages do not look inside). */
  actions: unknown[];
}

export function emptyDeploymentState(): DeploymentState {
  return { createdTaskSetIds: [], routedRuleArns: [], touched: false };
}

/** `PK=APP#<app>, SK=STATE`: the lock, the queue and the last good deployment. */
export interface AppState {
  app: string;
  lockHolder?: string;
  lockedAt?: string;
  /** Deployment ids queued behind the lock, oldest first. */
  queue: string[];
  /**
   * The task token each queued deployment's execution waits on (its Queued state), by deployment id:
   * whoever frees the lock resumes the first of them with SendTaskSuccess.
   */
  queueTokens?: Record<string, string>;
  lastGood?: LastGood;
}

export interface LastGood {
  deploymentId: string;
  commitSha: string;
  taskDefinitionArn: string;
  taskSetIds: string[];
  at: string;
}

/** `PK=DEP#<id>, SK=APPROVAL#<stage>`. The task token never leaves AWS. */
export interface ApprovalRecord {
  deploymentId: string;
  stageIndex: number;
  taskToken: string;
  approvers: string[];
  minApproverNum: number;
  approvedBy: string[];
  status: 'OPEN' | 'APPROVED' | 'REJECTED' | 'TIMED_OUT' | 'CANCELLED' | 'CLOSED';
  closedBy?: string;
  createdAt: string;
  expiresAt: string;
  closedAt?: string;
}
