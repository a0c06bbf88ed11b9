/**
 * The ports the stage executors work through. Domain types only: `src/aws/ecs.ts`,
 * `src/aws/elbv2.ts` and `src/aws/cloudwatch.ts` translate them to and from the SDK, so executors never see an SDK shape and
 * unit tests can fake a port without the SDK.
 */

import type { RuleSnapshot } from '../domain/deployment.js';

export type Tags = Record<string, string>;

export type TaskSetStatus = 'PRIMARY' | 'ACTIVE' | 'DRAINING';
export type StabilityStatus = 'STEADY_STATE' | 'STABILIZING';

export interface TaskSetInfo {
  id: string;
  arn: string;
  externalId?: string;
  status: TaskSetStatus;
  stabilityStatus: StabilityStatus;
  taskDefinitionArn: string;
  /** The scale as a percentage of the service's desiredCount. */
  scalePercent: number;
  computedDesiredCount: number;
  runningCount: number;
  pendingCount: number;
  /** The one target group the set registers into; absent for SERVICE_DISCOVERY or no load balancer. */
  targetGroupArn?: string;
  /** Epoch milliseconds. */
  createdAt?: number;
  tags: Tags;
}

export interface ServiceInfo {
  arn: string;
  name: string;
  clusterArn: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  desiredCount: number;
  /** ECS, CODE_DEPLOY or EXTERNAL; stepcd works only with EXTERNAL. */
  deploymentController: string;
  tags: Tags;
  /**
   * The live values of the other fields UpdateService may change on an EXTERNAL service, so that
   * stepcd sends only what differs. Absent means "not reported", read as ECS's own default.
   */
  healthCheckGracePeriodSeconds?: number;
  placementConstraints?: PlacementConstraint[];
  placementStrategy?: PlacementStrategy[];
  enableECSManagedTags?: boolean;
  propagateTags?: string;
}

/** AWS shape: `{ type: 'distinctInstance' | 'memberOf', expression? }`. */
export interface PlacementConstraint {
  type?: string;
  expression?: string;
}

/** AWS shape: `{ type: 'random' | 'spread' | 'binpack', field? }`; order is priority. */
export interface PlacementStrategy {
  type?: string;
  field?: string;
}

/** One stopped task of a task set, with the reasons ECS gave. */
export interface StoppedTask {
  taskArn: string;
  stopCode?: string;
  stoppedReason?: string;
  /** `<container>: exit <code> <reason>` for each container that exited with a reason or non-zero code. */
  containerReasons: string[];
}

/** Fields of a task set that come from the service definition (see service-definition.ts). */
export interface TaskSetPlacement {
  launchType?: string;
  platformVersion?: string;
  networkConfiguration?: Record<string, unknown>;
  capacityProviderStrategy?: Record<string, unknown>[];
  serviceRegistries?: Record<string, unknown>[];
}

export interface CreateTaskSetRequest extends TaskSetPlacement {
  cluster: string;
  service: string;
  taskDefinitionArn: string;
  externalId: string;
  /** Derived from the externalId, so that a retried create returns the same set (ECS idempotency). */
  clientToken: string;
  scalePercent: number;
  loadBalancer?: { targetGroupArn: string; containerName: string; containerPort: number };
  tags: Tags;
}

/** The fields UpdateService may change on an EXTERNAL service. */
export interface ServiceUpdate {
  desiredCount?: number;
  healthCheckGracePeriodSeconds?: number;
  placementConstraints?: PlacementConstraint[];
  placementStrategy?: PlacementStrategy[];
  enableECSManagedTags?: boolean;
  propagateTags?: string;
}

/** RunTask input for a one-off task (ECS_RUN_TASK). */
export interface RunTaskRequest {
  cluster: string;
  taskDefinitionArn: string;
  launchType?: string;
  platformVersion?: string;
  capacityProviderStrategy?: Record<string, unknown>[];
  networkConfiguration?: Record<string, unknown>;
  /** Derived from deployment and stage: a retried start gets the same task back. */
  clientToken: string;
  startedBy: string;
  overrides?: { containerOverrides: { name: string; command?: string[] }[] };
  tags: Tags;
}

/** One task as DescribeTasks reports it. */
export interface TaskInfo {
  taskArn: string;
  lastStatus: string;
  desiredStatus?: string;
  stopCode?: string;
  stoppedReason?: string;
  containers: { name: string; exitCode?: number; reason?: string }[];
}

export interface EcsPort {
  /** Registers a revision and returns its ARN. */
  registerTaskDefinition(definition: Record<string, unknown>, tags: Tags): Promise<string>;
  /** The latest ACTIVE revision of a family with its tags, or undefined when the family has none. */
  latestTaskDefinition(family: string): Promise<{ arn: string; tags: Tags } | undefined>;
  /** The service, or undefined when it is missing or INACTIVE. */
  findService(cluster: string, serviceName: string): Promise<ServiceInfo | undefined>;
  /** Creates an EXTERNAL service from CreateService fields (no task-set fields). */
  createService(definition: Record<string, unknown>, tags: Tags): Promise<ServiceInfo>;
  updateService(cluster: string, serviceName: string, update: ServiceUpdate): Promise<void>;
  /** Deletes the service; missing is success. */
  deleteService(cluster: string, serviceName: string): Promise<void>;
  listTaskSets(cluster: string, serviceName: string): Promise<TaskSetInfo[]>;
  createTaskSet(request: CreateTaskSetRequest): Promise<TaskSetInfo>;
  /** The task set, or undefined when it no longer exists. */
  describeTaskSet(cluster: string, serviceName: string, taskSetId: string): Promise<TaskSetInfo | undefined>;
  setPrimaryTaskSet(cluster: string, serviceName: string, taskSetId: string): Promise<void>;
  /** Deletes (drains) a task set; missing is success. */
  deleteTaskSet(cluster: string, serviceName: string, taskSetId: string): Promise<void>;
  /** The stopped tasks started by the task set, newest first. */
  stoppedTasksOf(cluster: string, taskSetId: string): Promise<StoppedTask[]>;
  /** Starts one standalone task and returns it (RunTask's failures[] become an error). */
  runTask(request: RunTaskRequest): Promise<TaskInfo>;
  /** The task, or undefined when ECS no longer knows it. */
  describeTask(cluster: string, taskArn: string): Promise<TaskInfo | undefined>;
  /** Stops the task; an already stopped or forgotten task is success. */
  stopTask(cluster: string, taskArn: string, reason: string): Promise<void>;
}

/** Decrypts spec.encryption values with the stack's key; the stage function is the only holder. */
export interface SecretPort {
  decrypt(ciphertextBase64: string): Promise<string>;
}

export interface Stickiness {
  enabled: boolean;
  durationSeconds?: number;
}

/** A listener rule (default rules included) whose forward action holds exactly {primary, canary}. */
export interface ForwardRule {
  ruleArn: string;
  listenerArn: string;
  isDefault: boolean;
  weights: TrafficWeights;
  stickiness?: Stickiness;
  /** The whole action list as read, so that a rollback can write it back with no read (RuleSnapshot). */
  actions?: unknown[];
}

export interface TrafficWeights {
  primary: number;
  canary: number;
}

export type TargetState = 'initial' | 'healthy' | 'unhealthy' | 'unused' | 'draining' | 'unavailable';

export interface TargetHealth {
  id: string;
  port?: number;
  state: TargetState;
  reason?: string;
}

export interface ElbPort {
  /**
   * Every rule, on every listener of every load balancer the primary target group is attached to,
   * whose forward action holds exactly the two target groups.
   */
  findForwardRules(primaryTargetGroupArn: string, canaryTargetGroupArn: string): Promise<ForwardRule[]>;
  /** Rewrites the weights of the rule's forward action, keeping its stickiness and other actions. */
  setRuleWeights(rule: ForwardRule, groups: { primary: string; canary: string }, weights: TrafficWeights): Promise<void>;
  /**
   * Writes a rule's action list back as the snapshot holds it: one ModifyRule (ModifyListener for a
   * default action) and no read. False when the rule or listener no longer exists.
   */
  restoreRule(rule: RuleSnapshot): Promise<boolean>;
  targetHealth(targetGroupArn: string): Promise<TargetHealth[]>;
}

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmStatus {
  name: string;
  state: AlarmState;
  /** CloudWatch's StateReason, e.g. "Threshold Crossed: 1 datapoint [7.0] was greater than 5.0". */
  reason: string;
}

/** The CloudWatch alarms the ANALYSIS stage watches. Reads only. */
export interface AlarmPort {
  /** The named metric alarms that exist; a name with no alarm is simply absent from the result. */
  describeAlarms(names: readonly string[]): Promise<AlarmStatus[]>;
}

export type StageLog = (message: string, fields?: Record<string, unknown>) => void;

export interface StagePorts {
  ecs: EcsPort;
  elb: ElbPort;
  alarms: AlarmPort;
  /** Absent where no key is configured; a plan with encrypted secrets then fails plainly. */
  secrets?: SecretPort;
  /** Epoch milliseconds. */
  now(): number;
  log: StageLog;
}
