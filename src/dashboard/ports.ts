import type { ApprovalService } from '../approval/service.js';
import type { DeploymentRecord } from '../domain/deployment.js';
import type { DriftStore } from '../drift/types.js';
import type { AppStateStore } from '../history/app-state-store.js';
import type { ApprovalStore } from '../history/approval-store.js';
import type { DeploymentStore } from '../history/deployment-store.js';
import type { ForwardRule, TaskSetInfo } from '../stages/ports.js';

/**
 * What the dashboard reads and does, the same ports the CLI uses: history, the approval service and
 * the caller's identity, plus a read of the live service for a running deployment. `stepcd dashboard`
 * builds them over the user's AWS credentials, `stepcd local` over the local cloud.
 */
export interface DashboardDeps {
  /** Where the data comes from, e.g. `AWS stage prod (eu-west-1)`; shown in the header. */
  label: string;
  history: Pick<DeploymentStore, 'listActive' | 'listByApp' | 'getDeployment' | 'requestCancel'> &
    Pick<AppStateStore, 'getAppState'> &
    Pick<ApprovalStore, 'getApproval'>;
  /** The apps to list beside those with a deployment in progress. */
  appNames(): Promise<string[]>;
  /** The drift check's last verdict per app (APP#<app>/DRIFT), for the drift mark. */
  drift: Pick<DriftStore, 'getDrift'>;
  approvals: Pick<ApprovalService, 'approve' | 'reject' | 'cancelPending' | 'resumeQueued' | 'cancelStageWait'>;
  /** The viewer's AWS identity (STS GetCallerIdentity ARN): the actor every action records. */
  callerArn(): Promise<string>;
  /** Traffic weights and task sets while a deployment runs; absent when nothing can be read. */
  live?: LiveDeploymentReader;
  links: ConsoleLinks;
  /** The clock the records are stamped with: real time, locally too (the engine clock runs ahead). */
  now(): Date;
  /** Seconds between live refreshes of an open page (default 2). */
  refreshSeconds?: number;
}

/** The service of a deployment as it is now. */
export interface LiveDeployment {
  cluster: string;
  serviceName: string;
  taskSets: TaskSetInfo[];
  /** Listener rules forwarding to the deployment's primary and canary target groups, with their weights. */
  rules: ForwardRule[];
  /** Target group ARNs, to tell the primary from the canary task set. */
  targetGroups: { primary?: string; canary?: string };
}

export interface LiveDeploymentReader {
  /** Undefined when the deployment has no execution to read its service from. */
  read(record: DeploymentRecord): Promise<LiveDeployment | undefined>;
}

export interface ExternalLink {
  label: string;
  url: string;
}

/** Links out to the AWS console; none locally, where there is no console. */
export interface ConsoleLinks {
  execution(record: DeploymentRecord): ExternalLink | undefined;
  logs(record: DeploymentRecord): ExternalLink[];
}

export const NO_CONSOLE: ConsoleLinks = { execution: () => undefined, logs: () => [] };
