import { CreateClusterCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  type Action,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AwsClientConfigs } from '../aws/client-config.js';

/**
 * The infrastructure stepcd deploys into but does not own (Terraform's job on AWS): a cluster, an
 * ALB, one listener, and a primary/canary target group pair per app. Created through the real SDK
 * clients, exactly as the user's own tooling would.
 */
export interface Topology {
  cluster: string;
  loadBalancer: string;
  port: number;
  apps: TopologyApp[];
}

export interface TopologyApp {
  name: string;
  /** Requests under `/<name>/` reach this app; the first app also serves the default rule. */
  canary: boolean;
}

export interface SeededTopology {
  clusterArn: string;
  loadBalancerArn: string;
  listenerArn: string;
  targetGroups: Record<string, { primary: string; canary?: string }>;
}

/** The topology examples/apps/* are written against (see examples/README.md). */
export const DEMO_TOPOLOGY: Topology = {
  cluster: 'demo',
  loadBalancer: 'demo-alb',
  port: 80,
  apps: [
    { name: 'canary', canary: true },
    { name: 'bluegreen', canary: true },
    { name: 'simple', canary: false },
    { name: 'approval', canary: true },
  ],
};

export async function seedTopology(clients: AwsClientConfigs, topology: Topology = DEMO_TOPOLOGY): Promise<SeededTopology> {
  const ecs = new ECSClient(clients.ecs);
  const elb = new ElasticLoadBalancingV2Client(clients.elbv2);
  try {
    const cluster = await ecs.send(new CreateClusterCommand({ clusterName: topology.cluster }));
    const lb = await elb.send(
      new CreateLoadBalancerCommand({ Name: topology.loadBalancer, Type: 'application', Subnets: ['subnet-local-a', 'subnet-local-b'] }),
    );
    const loadBalancerArn = lb.LoadBalancers?.[0]?.LoadBalancerArn;
    if (!loadBalancerArn) throw new Error('local cloud did not return a load balancer ARN');

    const targetGroups: SeededTopology['targetGroups'] = {};
    for (const app of topology.apps) {
      const primary = await createTargetGroup(elb, `${app.name}-primary`);
      targetGroups[app.name] = app.canary ? { primary, canary: await createTargetGroup(elb, `${app.name}-canary`) } : { primary };
    }
    const [first, ...rest] = topology.apps;
    if (!first) throw new Error('a topology needs at least one app');
    const listener = await elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: loadBalancerArn,
        Port: topology.port,
        Protocol: 'HTTP',
        DefaultActions: [forward(targetGroups[first.name]!)],
      }),
    );
    const listenerArn = listener.Listeners?.[0]?.ListenerArn;
    if (!listenerArn) throw new Error('local cloud did not return a listener ARN');
    for (const [i, app] of [first, ...rest].entries()) {
      await elb.send(
        new CreateRuleCommand({
          ListenerArn: listenerArn,
          Priority: (i + 1) * 10,
          Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: [`/${app.name}/*`] } }],
          Actions: [forward(targetGroups[app.name]!)],
        }),
      );
    }
    return { clusterArn: cluster.cluster?.clusterArn ?? '', loadBalancerArn, listenerArn, targetGroups };
  } finally {
    ecs.destroy();
    elb.destroy();
  }
}

async function createTargetGroup(elb: ElasticLoadBalancingV2Client, name: string): Promise<string> {
  const out = await elb.send(
    new CreateTargetGroupCommand({ Name: name, Protocol: 'HTTP', Port: 80, VpcId: 'vpc-local', TargetType: 'ip', HealthCheckPath: '/healthz' }),
  );
  const arn = out.TargetGroups?.[0]?.TargetGroupArn;
  if (!arn) throw new Error(`local cloud did not return an ARN for target group ${name}`);
  return arn;
}

/** 100/0 between the pair, sticky, as a blue/green listener is usually set up before stepcd runs. */
function forward(pair: { primary: string; canary?: string }): Action {
  const groups = [{ TargetGroupArn: pair.primary, Weight: 100 }, ...(pair.canary ? [{ TargetGroupArn: pair.canary, Weight: 0 }] : [])];
  return {
    Type: 'forward',
    ForwardConfig: { TargetGroups: groups, TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 300 } },
  };
}
