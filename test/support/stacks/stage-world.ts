/**
 * A small world for the ECS stage tests: the ECS+ELBv2 emulator on a ManualClock behind a local
 * AWS server; a cluster; an ALB whose default rule and `/api/*` rule forward 100/0 to the primary
 * and canary target groups with stickiness on, plus a `/static/*` rule forwarding to primary only
 * (which stepcd must leave alone). test/support/stage-fixtures.ts runs stages in it the way the
 * state machine will.
 */
import { CreateClusterCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  type Action,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ManualClock } from '../../../src/local/clock.js';
import { startAwsServer, type AwsServer } from '../../../src/local/aws-server.js';
import { createEcsElbv2Emulator } from '../../../src/local/ecs-elbv2/index.js';
import { localClientConfig } from '../../../src/aws/client-config.js';
import { createAwsStagePorts } from '../../../src/aws/stage-ports.js';
import type { StagePorts } from '../../../src/stages/ports.js';
import { createLocalCloudWatch, type LocalCloudWatch } from '../../../src/local/cloudwatch/index.js';

export const CLUSTER = 'stepcd-test';
export const SERVICE = 'web';
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

/** Sends probe traffic through the listener (default rule and /api rule) and adds up 503s. */
export function sampleTraffic(world: StageWorld): void {
  for (const path of ['/', '/api/x']) {
    const result = world.emulator.probe({ listenerArn: world.listenerArn, requests: PROBE_REQUESTS, path });
    world.total503 += result.outcomes['503'];
  }
}
