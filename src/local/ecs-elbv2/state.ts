/**
 * The emulator's stored facts. Only decisions (what was created, asked or scheduled, and when) are
 * stored; everything that "happens over time" (task status, target health, stability) is derived from
 * these facts and the clock in lifecycle.ts.
 */

export interface Tag {
  key: string;
  value: string;
}

export interface Cluster {
  name: string;
  arn: string;
  tags: Tag[];
  createdAt: number;
}

export interface ContainerDefinition {
  name: string;
  image: string;
  essential?: boolean;
  portMappings?: { containerPort?: number; hostPort?: number; protocol?: string }[];
  [field: string]: unknown;
}

export interface TaskDefinition {
  arn: string;
  family: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE';
  containerDefinitions: ContainerDefinition[];
  /** Every other field as registered (cpu, memory, networkMode, ...), echoed back on describe. */
  extra: Record<string, unknown>;
  tags: Tag[];
  registeredAt: number;
  deregisteredAt?: number;
}

export type DeploymentControllerType = 'ECS' | 'EXTERNAL' | 'CODE_DEPLOY';

export interface LoadBalancerRef {
  targetGroupArn?: string;
  loadBalancerName?: string;
  containerName?: string;
  containerPort?: number;
}

export interface Service {
  name: string;
  arn: string;
  cluster: string;
  clusterArn: string;
  controller: DeploymentControllerType;
  desiredCount: number;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  createdAt: number;
  deletedAt?: number;
  tags: Tag[];
  /** Ids in creation order; DRAINING sets stay listed until drained. */
  taskSetIds: string[];
  /** Fields kept as sent (deploymentConfiguration, schedulingStrategy, placement*, ...). */
  extra: Record<string, unknown>;
  /** Rolling (ECS) services only: the service's own task definition. */
  taskDefinitionArn?: string;
}

export interface Scale {
  unit: 'PERCENT';
  value: number;
}

export interface TaskSet {
  id: string;
  arn: string;
  cluster: string;
  service: string;
  serviceArn: string;
  clusterArn: string;
  externalId?: string;
  clientToken?: string;
  status: 'PRIMARY' | 'ACTIVE' | 'DRAINING';
  taskDefinitionArn: string;
  scale: Scale;
  launchType?: string;
  /** Fields kept as sent: networkConfiguration, serviceRegistries, platformVersion, capacityProviderStrategy. */
  extra: Record<string, unknown>;
  loadBalancers: LoadBalancerRef[];
  tags: Tag[];
  createdAt: number;
  updatedAt: number;
  deletedAt?: number;
  /** Last observed stability and when it last changed (updated lazily on each request). */
  stabilityStatus: 'STEADY_STATE' | 'STABILIZING';
  stabilityStatusAt: number;
}

export interface Task {
  id: string;
  arn: string;
  cluster: string;
  clusterArn: string;
  service: string;
  taskSetId: string;
  taskDefinitionArn: string;
  launchType?: string;
  containers: TaskContainer[];
  ip: string;
  /** RunTask's startedBy and group; a task set's tasks use its id and `service:<name>`. */
  startedBy?: string;
  group?: string;
  /** A standalone task's containers exit at this moment (with `TaskContainer.exitCode`), and the task stops. */
  exitsAt?: number;
  /** How each container will exit at `exitsAt`, index-aligned with `containers`. */
  exitPlan?: { exitCode: number; reason?: string }[];
  /** RunTask's clientToken: a retried call returns these tasks instead of starting new ones. */
  clientToken?: string;
  tags?: Tag[];
  /** The target this task registers once RUNNING, if its task set has a load balancer. */
  target?: { targetGroupArn: string; port: number };
  createdAt: number;
  runningAt: number;
  /** When ECS decided to stop it (scale-in, deletion, or the crash itself). */
  stopRequestedAt?: number;
  stoppedAt?: number;
  stoppedReason?: string;
  stopCode?: 'EssentialContainerExited' | 'ServiceSchedulerInitiated' | 'UserInitiated';
  exitCode?: number;
  /** Why the essential container exited (crash faults). */
  containerReason?: string;
}

export interface TaskContainer {
  name: string;
  image: string;
  essential?: boolean;
  /** Set when the container exits on its own (standalone tasks) or is stopped; absent while it runs. */
  exitCode?: number;
  reason?: string;
}

export interface LoadBalancer {
  name: string;
  arn: string;
  id: string;
  dnsName: string;
  scheme: string;
  type: string;
  vpcId: string;
  subnets: string[];
  securityGroups: string[];
  ipAddressType: string;
  createdAt: number;
  tags: Tag[];
}

export interface TargetGroup {
  name: string;
  arn: string;
  protocol?: string;
  port?: number;
  vpcId?: string;
  targetType: string;
  healthCheck: Record<string, string | number | boolean | undefined>;
  matcher?: { HttpCode?: string };
  tags: Tag[];
  /** Targets registered through RegisterTargets (task targets are derived from tasks). */
  manualTargets: ManualTarget[];
}

export interface ManualTarget {
  id: string;
  port: number;
  registeredAt: number;
  deregisteredAt?: number;
}

export interface TargetGroupTuple {
  targetGroupArn: string;
  weight: number;
}

/** One listener or rule action, kept in the shape needed to route and to describe it. */
export interface Action {
  type: string;
  order?: number;
  forward?: {
    targetGroups: TargetGroupTuple[];
    stickiness?: { enabled: boolean; durationSeconds?: number };
  };
  /** fixed-response / redirect / authenticate configs, echoed as sent. */
  raw: Record<string, unknown>;
}

export interface Condition {
  field?: string;
  values: string[];
  /** e.g. PathPatternConfig.Values, HostHeaderConfig.Values, keyed by config name. */
  configs: Record<string, unknown>;
}

export interface Listener {
  arn: string;
  id: string;
  loadBalancerArn: string;
  port: number;
  protocol: string;
  defaultActions: Action[];
  defaultRuleArn: string;
}

export interface Rule {
  arn: string;
  listenerArn: string;
  priority: number;
  conditions: Condition[];
  actions: Action[];
}

export interface World {
  clusters: Map<string, Cluster>;
  /** Keyed by service ARN. */
  services: Map<string, Service>;
  /** Keyed by task set id. */
  taskSets: Map<string, TaskSet>;
  /** Keyed by task id, in creation order. */
  tasks: Map<string, Task>;
  /** Keyed by ARN. */
  taskDefinitions: Map<string, TaskDefinition>;
  loadBalancers: Map<string, LoadBalancer>;
  targetGroups: Map<string, TargetGroup>;
  listeners: Map<string, Listener>;
  rules: Map<string, Rule>;
  /** Monotonic counter behind generated ids and IPs. */
  seq: number;
}

export function emptyWorld(): World {
  return {
    clusters: new Map(),
    services: new Map(),
    taskSets: new Map(),
    tasks: new Map(),
    taskDefinitions: new Map(),
    loadBalancers: new Map(),
    targetGroups: new Map(),
    listeners: new Map(),
    rules: new Map(),
    seq: 0,
  };
}
