import type { StageKind } from './stage-kinds.js';

/**
 * The execution input of the state machine (ARCHITECTURE §4). Everything a stage needs is resolved
 * here at trigger time, so executions never re-read Git and a retry sees exactly the same input.
 * Durations are whole seconds; percentages are integers 0–100.
 */
export interface DeploymentPlan {
  deploymentId: string;
  /** Deterministic SFN execution name: `<app>-<sha7>-<hash>` sanitised to [A-Za-z0-9_-], ≤ 80 chars. */
  executionName: string;
  app: AppRef;
  commit: CommitRef;
  trigger: TriggerRef;
  strategy: 'QUICK_SYNC' | 'PIPELINE';
  stages: PlannedStage[];
  /** RegisterTaskDefinition input (AWS API shape, camelCase). */
  taskDefinition: Record<string, unknown>;
  /** CreateService input (AWS API shape). `cluster` and `serviceName` are required by the planner. */
  serviceDefinition: ServiceDefinition;
  targetGroups: { primary?: TargetGroupRef; canary?: TargetGroupRef };
  accessType: 'ELB' | 'SERVICE_DISCOVERY';
  options: PlanOptions;
  createdAt: string;
  /** Set for a standalone-task app (no service definition). */
  standalone?: StandaloneTarget;
  /**
   * spec.encryption: KMS ciphertexts (base64) by name. Only the stage function decrypts them, into
   * the task definition's `{{ .encryptedSecrets.<name> }}` placeholders, right before registering it.
   */
  encryptedSecrets?: Record<string, string>;
}

export interface ServiceDefinition extends Record<string, unknown> {
  cluster: string;
  serviceName: string;
  desiredCount?: number;
}

export interface AppRef {
  name: string;
  /** Directory of app.pipecd.yaml, relative to the repository root. */
  dir: string;
  labels: Record<string, string>;
  /** `owner/name` for GitHub, or an absolute path for a local repository. */
  repo: string;
}

export interface CommitRef {
  sha: string;
  message: string;
  author: string;
  url?: string;
  branch?: string;
}

export interface TriggerRef {
  /** `sync` and `rollback` are deliberate redeploys (stepcd sync / stepcd rollback); `actor` is who asked. */
  kind: 'push' | 'cli' | 'demo' | 'sync' | 'rollback';
  /** A rollback: the earlier deployment whose recorded plan this one redeploys. */
  rollbackOf?: string;
  /** X-GitHub-Delivery, when triggered by a webhook. */
  delivery?: string;
  actor?: string;
  /**
   * When GitHub received the push (`repository.pushed_at`), the same in every redelivery: when
   * history diverged, the later push wins by this, not by when the webhook arrived.
   */
  pushedAt?: string;
}

export interface TargetGroupRef {
  targetGroupArn: string;
  containerName: string;
  containerPort: number;
}

/** See PlanOptions.stabilityBackstopSeconds. */
export const DEFAULT_STABILITY_BACKSTOP_SECONDS = 300;

export interface PlanOptions {
  autoRollback: boolean;
  /** Whole-deployment timeout (spec.timeout, default 6h). */
  timeoutSeconds: number;
  slackChannel?: string;
  mentions: Mention[];
  /** Seconds between slices of a WAIT stage (and, before event-driven waits, between stability checks). */
  pollIntervalSeconds: number;
  /**
   * A stability wait sleeps on a task token resumed by ECS events; this is the longest it sleeps
   * without a check, in case an event is lost (spec.stepcd.stabilityBackstop). Default 300.
   */
  stabilityBackstopSeconds?: number;
  /**
   * Who may cancel from Slack (the app's approver rule): every WAIT_APPROVAL stage's approvers, else
   * the stack-wide allowlist; `*` is anyone. Set by the webhook's planner; absent means nobody in Slack.
   */
  approvers?: string[];
}

export interface Mention {
  /** Event name without the EVENT_ prefix, or "*". */
  event: string;
  slackUsers: string[];
  slackGroups: string[];
}

export type PlannedStage =
  | StageOf<'ECS_SYNC', { stableTimeoutSeconds: number }>
  | StageOf<'ECS_CANARY_ROLLOUT', { scale: number; stableTimeoutSeconds: number }>
  | StageOf<'ECS_PRIMARY_ROLLOUT', { stableTimeoutSeconds: number }>
  | StageOf<'ECS_TRAFFIC_ROUTING', { primary: number; canary: number }>
  | StageOf<'ECS_CANARY_CLEAN', Record<string, never>>
  | StageOf<'WAIT', { durationSeconds: number }>
  | StageOf<'WAIT_APPROVAL', { approvers: string[]; minApproverNum: number; timeoutSeconds: number }>
  /** stepcd's ANALYSIS: CloudWatch alarms (by name) must stay out of ALARM for `durationSeconds`. */
  | StageOf<'ANALYSIS', { durationSeconds: number; alarms: string[] }>
  /** stepcd's ECS_RUN_TASK: RunTask with the new task definition; every essential container must exit 0 within `timeoutSeconds`. */
  | StageOf<'ECS_RUN_TASK', RunTaskOptions>;

export interface RunTaskOptions {
  timeoutSeconds: number;
  /** Overrides the command of this container (default: the task definition's own commands). */
  containerName?: string;
  command?: string[];
}

/**
 * Where a standalone app's task runs (PipeCD's spec.input.{clusterArn, launchType, awsvpcConfiguration}).
 * Such an app has no service: `serviceDefinition` then holds only `cluster` and an empty `serviceName`.
 */
export interface StandaloneTarget {
  cluster: string;
  launchType: string;
  awsvpcConfiguration?: Record<string, unknown>;
}

interface StageOf<K extends StageKind, W> {
  index: number;
  name: K;
  /** Free-form description from the manifest, shown in Slack and the CLI. */
  desc?: string;
  with: W;
}

/** Plans larger than this are refused at trigger time (SFN's hard limit is 256 KB). */
export const MAX_PLAN_BYTES = 200 * 1024;
