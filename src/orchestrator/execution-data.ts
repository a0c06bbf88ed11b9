import type { DeploymentState, LastGood } from '../domain/deployment.js';
import type { DeploymentPlan, PlannedStage } from '../domain/plan.js';
import type { Route } from './route.js';

/**
 * The execution data that flows between the states of statemachines/deployment.asl.json. Every
 * Lambda task receives it whole (`Payload.data`) and returns it whole (`OutputPath: $.Payload`), so
 * the ASL's Choice states can read the fields below by path.
 */
export interface ExecutionData {
  plan: DeploymentPlan;
  state: DeploymentState;
  lastGood?: LastGood;
  cursor: Cursor;
  /** Set by Begin: ACQUIRED runs, QUEUED waits and retries, SUPERSEDED and CLOSED end without ECS calls. */
  lock?: 'ACQUIRED' | 'QUEUED' | 'SUPERSEDED' | 'CLOSED';
  /**
   * Set by Begin with QUEUED: the Queued state's TimeoutSecondsPath, the backstop for a lost hand-off.
   * Queued writes what resumed it (`ResultPath`): the hand-off's output, or the States.Timeout error.
   */
  queue?: { backstopSeconds: number; resumedBy?: unknown };
  /** Set by Begin with ACQUIRED (the engine clock): spec.timeout counts from here. */
  lockedAt?: string;
  executionArn?: string;
  /** The state the ASL's Route choice runs next; set by every task that moves the deployment on. */
  route?: Route;
  /** Written by the ASL's Catch (`ResultPath: $.error`). */
  error?: { Error: string; Cause?: string };
  /** Written by WaitStable (`ResultPath: $.wake`): what resumed the wait, or its timeout. */
  wake?: unknown;
  /** Written by WAIT_APPROVAL (`ResultPath: $.approval`). */
  approval?: unknown;
  rollback?: RollbackProgress;
  /** Written by RollbackBegin's Catch: the traffic restore failed, so RollbackStep routes traffic itself. */
  trafficRestoreError?: { Error: string; Cause?: string };
  /** Set by the finaliser when it starts a rollback-only execution. */
  rollbackOnly?: boolean;
  /** Set by Finish for the Fail state (ErrorPath / CausePath). */
  outcome?: 'FAILURE' | 'CANCELLED';
  errorName?: string;
  reason?: string;
}

export interface Cursor {
  index: number;
  stage?: PlannedStage;
  startedAt?: string;
  done?: boolean;
  needsCheck?: boolean;
  status?: 'done' | 'pending';
  detail?: string;
  /** For a stage waiting on events: the TimeoutSeconds of each WaitStable task (its backstop slice). */
  waitTimeoutSeconds?: number;
  /** For a WAIT stage: the TimeoutSeconds of its one task-token wait (the whole bounded wait, at least 1). */
  waitSeconds?: number;
  /** For a WAIT stage: when the whole wait ends (its duration, bounded by spec.timeout). */
  waitEndsAt?: string;
  /**
   * For a WAIT or WAIT_APPROVAL: the state the ASL's AfterWait choice runs when the wait ends. A stage
   * task or Complete closes the wait itself as it starts (one task fewer); another wait needs Advance.
   */
  then?: Route;
  /** The WAIT was shortened to end at the deployment's deadline; Advance fails it when it ends. */
  waitCutShort?: boolean;
}

export interface RollbackProgress {
  needed: boolean;
  done: boolean;
  reason: string;
  outcome: 'FAILURE' | 'CANCELLED';
  errorName: string;
  startedAt: string;
  summary?: string;
}

/** What the ASL passes in: `{ action, data }` (Begin also passes the execution ARN from `$$`). */
export interface TaskEvent {
  action: string;
  data: ExecutionData;
}
