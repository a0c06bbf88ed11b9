/**
 * Drivers for the ECS stage tests, over the world test/support/stacks/stage-world.ts starts: plans,
 * stage runs the way the state machine will (start, then Wait → check), rollbacks and what a user sees.
 */
import { DescribeListenersCommand, DescribeRulesCommand, type Action } from '@aws-sdk/client-elastic-load-balancing-v2';
import { checkStage, rollbackStep, startStage } from '../../src/stages/index.js';
import type { StepcdError } from '../../src/errors.js';
import type { RollbackResult, StageInput } from '../../src/stages/types.js';
import type { DeploymentPlan, PlannedStage } from '../../src/domain/plan.js';
import { emptyDeploymentState, type DeploymentState, type LastGood } from '../../src/domain/deployment.js';
import { CLUSTER, SERVICE, sampleTraffic, startStageWorld, type StageWorld } from './stacks/stage-world.js';

const POLL_MS = 5_000;

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
