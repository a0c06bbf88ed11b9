import type { EventPublisher } from '../domain/events.js';
import type { AncestryPort } from '../gitops/ancestry.js';
import type { WorkflowPort } from '../domain/workflow.js';
import type { AppStateStore } from '../history/app-state-store.js';
import type { ApprovalStore } from '../history/approval-store.js';
import type { DeploymentStore } from '../history/deployment-store.js';
import type { StepcdLogger } from '../logging.js';
import type { Notifier } from '../slack/notifier.js';
import type { WaitTokenPort } from '../stability/ports.js';

/** The records and app state the steps move, and the approval a rollback closes. */
export type OrchestratorHistory = Pick<
  DeploymentStore,
  'createDeployment' | 'getDeployment' | 'setExecution' | 'setStatus' | 'setStageStatus' | 'setState' | 'addError'
> &
  Pick<AppStateStore, 'getAppState' | 'tryLock' | 'releaseLock' | 'enqueue' | 'dequeue' | 'setQueueToken' | 'setLastGood'> &
  Pick<ApprovalStore, 'closeApproval'>;

/**
 * What moving a deployment from stage to stage needs (Advance, Complete, the lock hand-off): the
 * orchestrate function has it, and so does the stage function, which advances and completes in the
 * same invocation as the stage it ran.
 */
export interface StepDeps {
  history: OrchestratorHistory;
  events: EventPublisher;
  notifier: Notifier;
  workflow: WorkflowPort;
  /** Resumes a queued deployment's wait; its token came from our table, so any closed token is "gone". */
  tokens: WaitTokenPort;
  /** The engine's clock: deadlines, wait ends, the start of stages and rollbacks for their timeouts. */
  now(): Date;
  /**
   * The time people read: history timestamps and events. The same clock on AWS; locally real time,
   * while `now` is the local cloud's, which runs ahead of it.
   */
  wallNow(): Date;
  logger: StepcdLogger;
  /** The Queued state's timeout (config.queueBackstopSeconds); DEFAULT_QUEUE_BACKSTOP_SECONDS when unset. */
  queueBackstopSeconds?: number;
}

/** What the orchestration steps need; built once per cold start (AWS) or per local cloud. */
export interface OrchestratorDeps extends StepDeps {
  /** Git ancestry, so that Begin never lets an older commit replace a newer one (ARCHITECTURE §5). */
  ancestry: AncestryPort;
}
