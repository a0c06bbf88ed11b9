import type { EventPublisher } from '../domain/events.js';
import type { CommitRef, DeploymentPlan } from '../domain/plan.js';
import type { WorkflowPort } from '../domain/workflow.js';
import type { AncestryPort } from '../gitops/ancestry.js';
import type { ManifestSource } from '../gitops/manifest-source.js';
import type { AppPlanner } from '../gitops/trigger.js';
import type { DeploymentStore } from '../history/deployment-store.js';
import type { AppStateStore } from '../history/app-state-store.js';
import type { DeploymentRecord } from '../domain/deployment.js';

/** What starting a deployment by hand needs: the same record, event and execution a push makes. */
export interface StartDeps {
  history: Pick<DeploymentStore, 'createDeployment' | 'getDeployment'>;
  workflow: Pick<WorkflowPort, 'startExecution'>;
  events: EventPublisher;
  /** The time people read (the record's createdAt, events). */
  wallNow: () => Date;
}

/** The tracked branch of the manifests repository, as a push would see it. */
export interface TrackedBranch {
  /** `owner/name` (GitHub) or the repository path (local), as plans name it. */
  repo: string;
  branch: string;
  /** The branch head's sha now. */
  head(): Promise<string>;
  /** The commit's message and author; NotFoundError when the repository has no such commit. */
  commit(sha: string): Promise<CommitRef>;
  source: ManifestSource;
  ancestry: AncestryPort;
}

export interface SyncDeps extends StartDeps {
  git: TrackedBranch;
  /** The planner pushes use (src/gitops/app-planner.ts): the same validation, lookups and approvers. */
  planner: AppPlanner;
  /** The engine's clock: a plan's createdAt, from which its deadline runs. */
  now: () => Date;
}

export interface RollbackDeps extends StartDeps {
  history: StartDeps['history'] & Pick<DeploymentStore, 'listByApp'> & Pick<AppStateStore, 'getAppState'>;
  /** The plan a deployment ran (its execution input); undefined when Step Functions no longer keeps it. */
  planOf(record: DeploymentRecord): Promise<DeploymentPlan | undefined>;
  now: () => Date;
}
