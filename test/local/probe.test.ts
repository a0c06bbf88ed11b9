import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  RegisterTargetsCommand,
  type Action,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  CreateTaskSetCommand,
  DeleteTaskSetCommand,
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServicePrimaryTaskSetCommand,
} from '@aws-sdk/client-ecs';
import { startAwsServer, type AwsServer } from '../../src/local/aws-server.js';
import { ManualClock } from '../../src/local/clock.js';
import { localClientConfig } from '../../src/aws/client-config.js';
import { createEcsElbv2Emulator, type LocalEcsElbv2 } from '../../src/local/ecs-elbv2/index.js';
import { pathMatches, SmoothWeightedRoundRobin } from '../../src/local/ecs-elbv2/routing.js';

const forward = (primary: string, canary: string, p: number, c: number): Action[] => [
  {
    Type: 'forward',
    ForwardConfig: {
      TargetGroups: [
        { TargetGroupArn: primary, Weight: p },
        { TargetGroupArn: canary, Weight: c },
      ],
      TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 300 },
    },
  },
];

describe('traffic probe', () => {
  let clock: ManualClock;
  let emulator: LocalEcsElbv2;
  let server: AwsServer;
  let elb: ElasticLoadBalancingV2Client;
  let ecs: ECSClient;
  let primary: string;
  let canary: string;
  let listenerArn: string;

  beforeEach(async () => {
    clock = new ManualClock();
    emulator = createEcsElbv2Emulator({ clock });
    server = await startAwsServer([emulator.handler]);
    elb = new ElasticLoadBalancingV2Client(localClientConfig(server.url));
    ecs = new ECSClient(localClientConfig(server.url));
    const lbArn = (await elb.send(new CreateLoadBalancerCommand({ Name: 'demo' }))).LoadBalancers?.[0]?.LoadBalancerArn;
    const tg = async (name: string) =>
      (await elb.send(new CreateTargetGroupCommand({ Name: name, Protocol: 'HTTP', Port: 80, TargetType: 'ip' }))).TargetGroups?.[0]?.TargetGroupArn as string;
    primary = await tg('web-primary');
    canary = await tg('web-canary');
    listenerArn = (
      await elb.send(new CreateListenerCommand({ LoadBalancerArn: lbArn, Port: 80, Protocol: 'HTTP', DefaultActions: forward(primary, canary, 100, 0) }))
    ).Listeners?.[0]?.ListenerArn as string;
  });
  afterEach(async () => {
    elb.destroy();
    ecs.destroy();
    await server.close();
  });

  async function registerHealthy(group: string, ips: string[]): Promise<void> {
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: group, Targets: ips.map((Id) => ({ Id, Port: 80 })) }));
  }

  it('splits 100 requests exactly 80/20 across weighted groups with healthy targets', async () => {
    await registerHealthy(primary, ['10.1.0.1', '10.1.0.2']);
    await registerHealthy(canary, ['10.1.1.1']);
    clock.advance(10_000);
    await elb.send(new ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: forward(primary, canary, 80, 20) }));
    const result = emulator.probe({ listenerArn, requests: 100 });
    expect(result).toMatchObject({ total: 100, outcomes: { '2xx': 100, '503': 0 } });
    expect(result.byTargetGroup).toEqual({ [primary]: 80, [canary]: 20 });
  });

  it('answers 503 for the share sent to a group with no healthy targets', async () => {
    await registerHealthy(primary, ['10.1.0.1']);
    clock.advance(10_000);
    await registerHealthy(canary, ['10.1.1.1']); // still in initial health checking
    await elb.send(new ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: forward(primary, canary, 80, 20) }));
    expect(emulator.probe({ listenerArn, requests: 100 }).outcomes).toEqual({ '2xx': 80, '503': 20 });
    clock.advance(10_000);
    expect(emulator.probe({ listenerArn, requests: 100 }).outcomes).toEqual({ '2xx': 100, '503': 0 });
  });

  it('routes by the lowest-priority matching path rule, else the default rule', async () => {
    await registerHealthy(primary, ['10.1.0.1']);
    await registerHealthy(canary, ['10.1.1.1']);
    clock.advance(10_000);
    await elb.send(
      new CreateRuleCommand({
        ListenerArn: listenerArn,
        Priority: 20,
        Conditions: [{ Field: 'path-pattern', Values: ['/api/*'] }],
        Actions: forward(primary, canary, 1, 1),
      }),
    );
    await elb.send(
      new CreateRuleCommand({
        ListenerArn: listenerArn,
        Priority: 10,
        Conditions: [{ Field: 'path-pattern', PathPatternConfig: { Values: ['/api/v2/*'] } }],
        Actions: [{ Type: 'forward', TargetGroupArn: canary }],
      }),
    );
    expect(emulator.probe({ listenerArn, requests: 10, path: '/api/v2/users' }).byTargetGroup).toEqual({ [canary]: 10 });
    expect(emulator.probe({ listenerArn, requests: 10, path: '/api/v1/users' }).byTargetGroup).toEqual({ [primary]: 5, [canary]: 5 });
    expect(emulator.probe({ listenerArn, requests: 10, path: '/home' }).byTargetGroup).toEqual({ [primary]: 10 });
  });

  it('throws for an unknown listener', () => {
    expect(() => emulator.probe({ listenerArn: `${listenerArn}x`, requests: 1 })).toThrow(/listener not found/);
  });

  it('attributes responses to task sets and versions and sees no 503 through a blue/green switch', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'demo' }));
    await ecs.send(new CreateServiceCommand({ cluster: 'demo', serviceName: 'web', desiredCount: 2, deploymentController: { type: 'EXTERNAL' } }));
    const register = async (tag: string) =>
      (await ecs.send(new RegisterTaskDefinitionCommand({ family: 'web', containerDefinitions: [{ name: 'web', image: `web:${tag}` }] }))).taskDefinition
        ?.taskDefinitionArn as string;
    const v1 = await register('1');
    const v2 = await register('2');
    const createSet = async (taskDefinition: string, targetGroupArn: string) =>
      (
        await ecs.send(
          new CreateTaskSetCommand({
            cluster: 'demo',
            service: 'web',
            taskDefinition,
            scale: { unit: 'PERCENT', value: 100 },
            loadBalancers: [{ targetGroupArn, containerName: 'web', containerPort: 80 }],
          }),
        )
      ).taskSet?.id as string;

    const blue = await createSet(v1, primary);
    await ecs.send(new UpdateServicePrimaryTaskSetCommand({ cluster: 'demo', service: 'web', primaryTaskSet: blue }));
    clock.advance(15_000);
    const green = await createSet(v2, canary);
    clock.advance(15_000);

    const seen: string[] = [];
    for (const weights of [
      [100, 0],
      [50, 50],
      [0, 100],
    ] as const) {
      await elb.send(new ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: forward(primary, canary, weights[0], weights[1]) }));
      const result = emulator.probe({ listenerArn, requests: 100 });
      expect(result.outcomes['503']).toBe(0);
      seen.push(JSON.stringify(result.byVersion));
      expect(result.byTaskSet).toEqual(
        Object.fromEntries(
          [
            [blue, weights[0]],
            [green, weights[1]],
          ].filter(([, n]) => n !== 0),
        ),
      );
    }
    expect(seen).toEqual([JSON.stringify({ [v1]: 100 }), JSON.stringify({ [v1]: 50, [v2]: 50 }), JSON.stringify({ [v2]: 100 })]);

    // Deleting the old set drains its targets, which take no new requests.
    await ecs.send(new DeleteTaskSetCommand({ cluster: 'demo', service: 'web', taskSet: blue, force: true }));
    expect(emulator.inspect.targetStatesOf(primary)).toEqual({ draining: 2 });
    await elb.send(new ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: forward(primary, canary, 50, 50) }));
    expect(emulator.probe({ listenerArn, requests: 10 }).outcomes).toEqual({ '2xx': 5, '503': 5 });
  });
});

describe('routing decisions', () => {
  it('interleaves smooth weighted round-robin instead of sending blocks', () => {
    const wrr = new SmoothWeightedRoundRobin([
      { targetGroupArn: 'a', weight: 3 },
      { targetGroupArn: 'b', weight: 1 },
    ]);
    expect(Array.from({ length: 8 }, () => wrr.next())).toEqual(['a', 'a', 'b', 'a', 'a', 'a', 'b', 'a']);
  });

  it('chooses nothing when every weight is 0', () => {
    expect(new SmoothWeightedRoundRobin([{ targetGroupArn: 'a', weight: 0 }]).next()).toBeUndefined();
  });

  it.each([
    ['/api/*', '/api/users', true],
    ['/api/*', '/apix', false],
    ['/img/?.png', '/img/a.png', true],
    ['/img/?.png', '/img/ab.png', false],
    ['/exact', '/exact', true],
    ['/a.b', '/axb', false],
  ])('path pattern %s against %s → %s', (pattern, path, expected) => {
    expect(pathMatches(pattern, path)).toBe(expected);
  });
});
