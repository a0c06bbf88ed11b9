/**
 * A small world for the ECS stage tests: the ECS+ELBv2 emulator on a ManualClock behind a local
 * AWS server; a cluster; an ALB whose default rule and `/api/*` rule forward 100/0 to the primary
 * and canary target groups with stickiness on, plus a `/static/*` rule forwarding to primary only
 * (which stepcd must leave alone). A driver runs stages the way the state machine will.
 */
import { CreateClusterCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DescribeListenersCommand,
  DescribeRulesCommand,
  ElasticLoadBalancingV2Client,
  type Action,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ManualClock } from '../../src/local/clock.js';
import { startAwsServer, type AwsServer } from '../../src/local/aws-server.js';
import { createEcsElbv2Emulator } from '../../src/local/ecs-elbv2/index.js';
import { localClientConfig } from '../../src/aws/client-config.js';
import { createAwsStagePorts } from '../../src/aws/stage-ports.js';
import { checkStage, rollbackStep, startStage } from '../../src/stages/index.js';
import type { StepcdError } from '../../src/errors.js';
import type { StagePorts } from '../../src/stages/ports.js';
import type { RollbackResult, StageInput } from '../../src/stages/types.js';
import type { DeploymentPlan, PlannedStage } from '../../src/domain/plan.js';
import { emptyDeploymentState, type DeploymentState, type LastGood } from '../../src/domain/deployment.js';
import { createLocalCloudWatch, type LocalCloudWatch } from '../../src/local/cloudwatch/index.js';

export const CLUSTER = 'stepcd-test';
export const SERVICE = 'web';
const POLL_MS = 5_000;
/** Enough requests that a 1% share still shows, few enough to stay fast. */
const PROBE_REQUESTS = 200;

export type Emulator = ReturnType<typeof createEcsElbv2Emulator>;

export interface StageWorld {
  clock: ManualClock;
  emulator: Emulator;
  /** CloudWatch alarms on the same port, for ANALYSIS. */
  cloudwatch: LocalCloudWatch;
  server: AwsServer;
  ports: StagePorts;
  logs: { message: string; fields?: Record<string, unknown> }[];
  ecs: ECSClient;
  elb: ElasticLoadBalancingV2Client;
  primaryTg: string;
  canaryTg: string;
  listenerArn: string;
  apiRuleArn: string;
  staticRuleArn: string;
  /** Every 503 the probe saw since the world started (sampled after each step and each poll). */
  total503: number;
  close(): Promise<void>;
}

export async function startStageWorld(): Promise<StageWorld> {
  const clock = new ManualClock();
  const emulator = createEcsElbv2Emulator({ clock });
  const cloudwatch = createLocalCloudWatch(clock);
  const server = await startAwsServer([emulator.handler, cloudwatch.handler]);
  // maxAttempts 3: the SDK's own retry is what absorbs an injected throttle, as in production.
  const config = localClientConfig(server.url, 3);
  const ecs = new ECSClient(config);
  const elb = new ElasticLoadBalancingV2Client(config);
  const logs: StageWorld['logs'] = [];
  const awsPorts = createAwsStagePorts({
    ecs: config,
    elbv2: config,
    cloudwatch: config,
    now: () => clock.now(),
    log: (message, fields) => logs.push({ message, ...(fields ? { fields } : {}) }),
  });
  // Traffic is sampled after every mutation, not only between Lambda calls: a rollback step that
  // deletes a set before moving traffic within one call must still show up as 503s.
  let afterMutation = () => undefined as void;
  const ports = samplingPorts(awsPorts, () => afterMutation());

  await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
  const tg = async (name: string) =>
    (await elb.send(new CreateTargetGroupCommand({ Name: name, Protocol: 'HTTP', Port: 8080, VpcId: 'vpc-1', TargetType: 'ip' }))).TargetGroups![0]!
      .TargetGroupArn!;
  const primaryTg = await tg('web-primary');
  const canaryTg = await tg('web-canary');
  const lb = await elb.send(new CreateLoadBalancerCommand({ Name: 'web', Subnets: ['subnet-1', 'subnet-2'], Type: 'application' }));
  const loadBalancerArn = lb.LoadBalancers![0]!.LoadBalancerArn!;
  const listener = await elb.send(
    new CreateListenerCommand({ LoadBalancerArn: loadBalancerArn, Protocol: 'HTTP', Port: 80, DefaultActions: [pairAction(primaryTg, canaryTg)] }),
  );
  const listenerArn = listener.Listeners![0]!.ListenerArn!;
  const apiRule = await elb.send(
    new CreateRuleCommand({
      ListenerArn: listenerArn,
      Priority: 10,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/*'] } }],
      Actions: [pairAction(primaryTg, canaryTg)],
    }),
  );
  const staticRule = await elb.send(
    new CreateRuleCommand({
      ListenerArn: listenerArn,
      Priority: 20,
      Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/static/*'] } }],
      Actions: [{ Type: 'forward', TargetGroupArn: primaryTg }],
    }),
  );

  // Assertions about "what stepcd called" start from here, not from the seeding.
  emulator.calls.reset();
  const world: StageWorld = {
    clock,
    emulator,
    cloudwatch,
    server,
    ports,
    logs,
    ecs,
    elb,
    primaryTg,
    canaryTg,
    listenerArn,
    apiRuleArn: apiRule.Rules![0]!.RuleArn!,
    staticRuleArn: staticRule.Rules![0]!.RuleArn!,
    total503: 0,
    close: async () => {
      afterMutation = () => undefined;
      ecs.destroy();
      elb.destroy();
      await server.close();
    },
  };
  afterMutation = () => sampleTraffic(world);
  return world;
}

const ECS_MUTATIONS = ['createService', 'updateService', 'deleteService', 'createTaskSet', 'setPrimaryTaskSet', 'deleteTaskSet'] as const;

function samplingPorts(ports: StagePorts, sample: () => void): StagePorts {
  const ecs = { ...ports.ecs };
  for (const name of ECS_MUTATIONS) {
    const original = ports.ecs[name] as (...args: unknown[]) => Promise<unknown>;
    (ecs as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      const result = await original(...args);
      sample();
      return result;
    };
  }
  const elb = {
    ...ports.elb,
    setRuleWeights: async (...args: Parameters<StagePorts['elb']['setRuleWeights']>) => {
      await ports.elb.setRuleWeights(...args);
      sample();
    },
  };
  return { ...ports, ecs, elb };
}

function pairAction(primaryTg: string, canaryTg: string): Action {
  return {
    Type: 'forward',
    ForwardConfig: {
      TargetGroups: [
        { TargetGroupArn: primaryTg, Weight: 100 },
        { TargetGroupArn: canaryTg, Weight: 0 },
      ],
      TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 3600 },
    },
  };
}

export interface PlanOptions {
  deploymentId: string;
  image: string;
  stages: Omit<PlannedStage, 'index'>[];
  accessType?: 'ELB' | 'SERVICE_DISCOVERY';
  desiredCount?: number;
}

export function buildPlan(world: StageWorld, opts: PlanOptions): DeploymentPlan {
  const sha = opts.deploymentId.padEnd(40, '0').slice(0, 40);
  return {
    deploymentId: opts.deploymentId,
    executionName: `web-${sha.slice(0, 7)}-${opts.deploymentId}`,
    app: { name: 'web', dir: 'apps/web', labels: { env: 'test' }, repo: 'acme/deploys' },
    commit: { sha, message: `deploy ${opts.image}`, author: 'dev' },
    trigger: { kind: 'cli' },
    strategy: opts.stages.length === 1 && opts.stages[0]?.name === 'ECS_SYNC' ? 'QUICK_SYNC' : 'PIPELINE',
    stages: opts.stages.map((s, index) => ({ ...s, index }) as PlannedStage),
    taskDefinition: {
      family: 'web',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      containerDefinitions: [{ name: 'web', image: opts.image, essential: true, portMappings: [{ containerPort: 8080 }] }],
    },
    serviceDefinition: {
      cluster: CLUSTER,
      serviceName: SERVICE,
      desiredCount: opts.desiredCount ?? 4,
      launchType: 'FARGATE',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'], assignPublicIp: 'DISABLED' } },
      deploymentController: { type: 'EXTERNAL' },
    },
    targetGroups: {
      primary: { targetGroupArn: world.primaryTg, containerName: 'web', containerPort: 8080 },
      canary: { targetGroupArn: world.canaryTg, containerName: 'web', containerPort: 8080 },
    },
    accessType: opts.accessType ?? 'ELB',
    options: { autoRollback: true, timeoutSeconds: 21600, mentions: [], pollIntervalSeconds: 5 },
    createdAt: new Date(world.clock.now()).toISOString(),
  };
}

export const stage = {
  sync: (): Omit<PlannedStage, 'index'> => ({ name: 'ECS_SYNC', with: { stableTimeoutSeconds: 600 } }),
  canary: (scale: number): Omit<PlannedStage, 'index'> => ({ name: 'ECS_CANARY_ROLLOUT', with: { scale, stableTimeoutSeconds: 600 } }),
  primary: (): Omit<PlannedStage, 'index'> => ({ name: 'ECS_PRIMARY_ROLLOUT', with: { stableTimeoutSeconds: 600 } }),
  route: (primary: number, canary: number): Omit<PlannedStage, 'index'> => ({ name: 'ECS_TRAFFIC_ROUTING', with: { primary, canary } }),
  clean: (): Omit<PlannedStage, 'index'> => ({ name: 'ECS_CANARY_CLEAN', with: {} }),
};

/** Sends probe traffic through the listener (default rule and /api rule) and adds up 503s. */
export function sampleTraffic(world: StageWorld): void {
  for (const path of ['/', '/api/x']) {
    const result = world.emulator.probe({ listenerArn: world.listenerArn, requests: PROBE_REQUESTS, path });
    world.total503 += result.outcomes['503'];
  }
}

export interface StageRun {
  status: 'done' | 'failed';
  state: DeploymentState;
  /** The failed check's error message, and the typed error itself. */
  reason?: string;
  error?: StepcdError;
  checks: number;
}

/**
 * Runs one stage as the state machine will: start, then Wait (advance the clock) → check until
 * done or failed. Traffic is sampled after start and after every poll.
 */
export async function runStage(
  world: StageWorld,
  plan: DeploymentPlan,
  index: number,
  state: DeploymentState,
  lastGood?: LastGood,
  maxPolls = 200,
): Promise<StageRun> {
  const input = stageInput(world, plan, index, state, lastGood);
  const started = await startStage(input, world.ports);
  sampleTraffic(world);
  let current = started.state;
  if (!started.needsCheck) return { status: 'done', state: current, checks: 0 };
  for (let polls = 1; polls <= maxPolls; polls += 1) {
    world.clock.advance(POLL_MS);
    const result = await checkStage({ ...input, state: current }, world.ports);
    sampleTraffic(world);
    current = result.state;
    if (result.status === 'done') return { status: 'done', state: current, checks: polls };
    if (result.status === 'failed') return { status: 'failed', state: current, reason: result.error.message, error: result.error, checks: polls };
  }
  throw new Error(`stage ${index} still pending after ${maxPolls} polls`);
}

export function stageInput(world: StageWorld, plan: DeploymentPlan, index: number, state: DeploymentState, lastGood?: LastGood): StageInput {
  const planned = plan.stages[index];
  if (!planned) throw new Error(`plan has no stage ${index}`);
  return { plan, stage: planned, state, ...(lastGood ? { lastGood } : {}), startedAt: new Date(world.clock.now()).toISOString() };
}

/** Runs rollback steps in a Wait loop until done, sampling traffic after each. */
export async function runRollback(
  world: StageWorld,
  plan: DeploymentPlan,
  state: DeploymentState,
  lastGood?: LastGood,
  maxPolls = 200,
): Promise<RollbackResult> {
  const startedAt = new Date(world.clock.now()).toISOString();
  let current = state;
  for (let polls = 0; polls <= maxPolls; polls += 1) {
    const result = await rollbackStep({ plan, state: current, ...(lastGood ? { lastGood } : {}), startedAt }, world.ports);
    sampleTraffic(world);
    if (result.done) return result;
    current = result.state;
    world.clock.advance(POLL_MS);
  }
  throw new Error(`rollback not done after ${maxPolls} polls`);
}

/** Runs every stage of a plan in order; throws if one fails. Returns the last good record it made. */
export async function deployAll(world: StageWorld, plan: DeploymentPlan, lastGood?: LastGood): Promise<{ state: DeploymentState; lastGood: LastGood }> {
  let state = emptyDeploymentState();
  for (let i = 0; i < plan.stages.length; i += 1) {
    const run = await runStage(world, plan, i, state, lastGood);
    if (run.status === 'failed') throw new Error(`stage ${i} failed: ${run.reason}`);
    state = run.state;
  }
  return { state, lastGood: lastGoodOf(world, plan, state) };
}

export function lastGoodOf(world: StageWorld, plan: DeploymentPlan, state: DeploymentState): LastGood {
  return {
    deploymentId: plan.deploymentId,
    commitSha: plan.commit.sha,
    taskDefinitionArn: state.taskDefinitionArn!,
    taskSetIds: state.primaryTaskSetId ? [state.primaryTaskSetId] : [],
    at: new Date(world.clock.now()).toISOString(),
  };
}

/** Lets draining finish, so DRAINING sets and their targets are gone before the next assertion. */
export function settle(world: StageWorld, ms = 60_000): void {
  world.clock.advance(ms);
}

export interface WorldView {
  sets: {
    id: string;
    externalId?: string;
    status: string;
    stability: string;
    scale: number;
    desired: number;
    running: number;
    taskDefinition: string;
    targetGroup?: string;
  }[];
  weights: Record<'default' | 'api', { primary: number; canary: number; stickiness?: { enabled: boolean; durationSeconds?: number } }>;
  staticTargetGroups: string[];
}

/** What a user would look at: the live task sets (DRAINING excluded) and the listener weights. */
export async function view(world: StageWorld): Promise<WorldView> {
  const sets = (await world.ports.ecs.listTaskSets(CLUSTER, SERVICE)).filter((s) => s.status !== 'DRAINING');
  const listener = (await world.elb.send(new DescribeListenersCommand({ ListenerArns: [world.listenerArn] }))).Listeners![0]!;
  const rules = (await world.elb.send(new DescribeRulesCommand({ RuleArns: [world.apiRuleArn, world.staticRuleArn] }))).Rules!;
  const weightsOf = (actions: Action[] | undefined) => {
    const fwd = actions?.find((a) => a.Type === 'forward')?.ForwardConfig;
    const w = (tg: string) => fwd?.TargetGroups?.find((g) => g.TargetGroupArn === tg)?.Weight ?? 0;
    const s = fwd?.TargetGroupStickinessConfig;
    return {
      primary: w(world.primaryTg),
      canary: w(world.canaryTg),
      ...(s ? { stickiness: { enabled: s.Enabled ?? false, ...(s.DurationSeconds !== undefined ? { durationSeconds: s.DurationSeconds } : {}) } } : {}),
    };
  };
  const staticRule = rules.find((r) => r.RuleArn === world.staticRuleArn);
  const staticFwd = staticRule?.Actions?.find((a) => a.Type === 'forward');
  return {
    sets: sets.map((s) => ({
      id: s.id,
      ...(s.externalId ? { externalId: s.externalId } : {}),
      status: s.status,
      stability: s.stabilityStatus,
      scale: s.scalePercent,
      desired: s.computedDesiredCount,
      running: s.runningCount,
      taskDefinition: s.taskDefinitionArn,
      ...(s.targetGroupArn ? { targetGroup: s.targetGroupArn } : {}),
    })),
    weights: { default: weightsOf(listener.DefaultActions), api: weightsOf(rules.find((r) => r.RuleArn === world.apiRuleArn)?.Actions) },
    staticTargetGroups: staticFwd?.ForwardConfig?.TargetGroups?.map((g) => g.TargetGroupArn!) ?? (staticFwd?.TargetGroupArn ? [staticFwd.TargetGroupArn] : []),
  };
}

/** A fresh stage world with v1 deployed by a quick sync: the starting point of most stage tests. */
export async function startWorldWithV1(): Promise<{ world: StageWorld; lastGood: LastGood; v1Set: string }> {
  const world = await startStageWorld();
  const first = await deployAll(world, buildPlan(world, { deploymentId: 'd1', image: 'acme/web:v1', stages: [stage.sync()] }));
  return { world, lastGood: first.lastGood, v1Set: first.state.primaryTaskSetId! };
}
