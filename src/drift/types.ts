import type { AppState } from '../domain/deployment.js';
import type { ForwardRule, ServiceInfo, TaskSetInfo } from '../stages/ports.js';

/**
 * What the app's last successful deployment left in ECS and ELBv2, as far as stepcd owns it: the
 * fields its manifest set, not what ECS filled in. Snapshotted from the deployment's plan the first
 * time a check sees that deployment, so a check never depends on the execution still being retained.
 */
export interface DriftBaseline {
  deploymentId: string;
  commitSha: string;
  cluster: string;
  serviceName: string;
  taskDefinitionArn: string;
  /** Undefined when the manifest leaves the count to autoscaling: then it is never drift. */
  desiredCount?: number;
  /** The UpdateService fields the service definition sets, as it sets them. */
  serviceFields: Record<string, unknown>;
  /** Both target groups when traffic is shifted between them; rules must then send 100% to primary. */
  targetGroups?: { primary: string; canary: string };
  slackChannel?: string;
  labels: Record<string, string>;
}

/** One difference between the baseline and what runs. Values are short strings a person can read. */
export interface DriftItem {
  /** Stable key, e.g. `service.desiredCount`, `taskSet.primary.taskDefinition`, `rule.<arn>.weights`. */
  field: string;
  expected: string;
  actual: string;
}

/** What the live read found; `service` undefined means the service is gone. */
export interface LiveView {
  service?: ServiceInfo;
  taskSets: TaskSetInfo[];
  rules: ForwardRule[];
}

/** `PK=APP#<app>, SK=DRIFT`: the last check's verdict, so a drift is announced once. */
export interface DriftState {
  app: string;
  status: 'IN_SYNC' | 'DRIFTED';
  items: DriftItem[];
  /** Hash of the items: a different drift is a new announcement, the same one is silence. */
  fingerprint: string;
  /** When the current status (or, for a drift, this set of differences) began. */
  since: string;
  baseline: DriftBaseline;
}

export interface DriftStore {
  getDrift(app: string): Promise<DriftState | undefined>;
  listDrift(): Promise<DriftState[]>;
  /**
   * Writes the state only if the stored fingerprint is still `previous` (absent for a first check):
   * of two checks racing, one announces. Returns false when another check got there first.
   */
  putDrift(state: DriftState, previous: string | undefined): Promise<boolean>;
}

export type AppStateReader = { getAppState(app: string): Promise<AppState>; listApps(): Promise<string[]> };
