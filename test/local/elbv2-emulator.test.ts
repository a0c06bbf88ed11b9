import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateRuleCommand,
  CreateTargetGroupCommand,
  DeregisterTargetsCommand,
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyRuleCommand,
  RegisterTargetsCommand,
  type Action,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { createHash } from 'node:crypto';
import { startAwsServer, type AwsServer } from '../../src/local/aws-server.js';
import { ManualClock } from '../../src/local/clock.js';
import { localClientConfig } from '../../src/aws/client-config.js';
import { createEcsElbv2Emulator, type LocalEcsElbv2 } from '../../src/local/ecs-elbv2/index.js';
import { failure } from '../support/failure.js';

function weighted(primary: string, canary: string, weights: [number, number], stickiness = true): Action[] {
  return [
    {
      Type: 'forward',
      ForwardConfig: {
        TargetGroups: [
          { TargetGroupArn: primary, Weight: weights[0] },
          { TargetGroupArn: canary, Weight: weights[1] },
        ],
        TargetGroupStickinessConfig: stickiness ? { Enabled: true, DurationSeconds: 3600 } : { Enabled: false },
      },
    },
  ];
}

describe('ELBv2 emulator', () => {
  let clock: ManualClock;
  let emulator: LocalEcsElbv2;
  let server: AwsServer;
  let elb: ElasticLoadBalancingV2Client;
  let primary: string;
  let canary: string;
  let lbArn: string;
  let listenerArn: string;

  beforeEach(async () => {
    clock = new ManualClock();
    emulator = createEcsElbv2Emulator({ clock });
    server = await startAwsServer([emulator.handler]);
    elb = new ElasticLoadBalancingV2Client(localClientConfig(server.url));
    const lb = await elb.send(new CreateLoadBalancerCommand({ Name: 'demo', Subnets: ['subnet-a', 'subnet-b'] }));
    lbArn = lb.LoadBalancers?.[0]?.LoadBalancerArn as string;
    const tg = async (name: string) =>
      (await elb.send(new CreateTargetGroupCommand({ Name: name, Protocol: 'HTTP', Port: 80, VpcId: 'vpc-local', TargetType: 'ip' }))).TargetGroups?.[0]
        ?.TargetGroupArn as string;
    primary = await tg('web-primary');
    canary = await tg('web-canary');
    const listener = await elb.send(
      new CreateListenerCommand({ LoadBalancerArn: lbArn, Port: 80, Protocol: 'HTTP', DefaultActions: weighted(primary, canary, [100, 0]) }),
    );
    listenerArn = listener.Listeners?.[0]?.ListenerArn as string;
  });
  afterEach(async () => {
    elb.destroy();
    await server.close();
  });

  it('derives load balancer and target group ARNs from sha256 of the name', () => {
    const hex = (name: string) => createHash('sha256').update(name).digest('hex').slice(0, 16);
    expect(lbArn).toBe(`arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/demo/${hex('demo')}`);
    expect(primary).toBe(`arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/web-primary/${hex('web-primary')}`);
    expect(listenerArn).toMatch(new RegExp(`:listener/app/demo/${hex('demo')}/[0-9a-f]{16}$`));
  });

  it('returns the existing target group when the same name is created again', async () => {
    const again = await elb.send(new CreateTargetGroupCommand({ Name: 'web-primary', Protocol: 'HTTP', Port: 80, VpcId: 'vpc-local' }));
    expect(again.TargetGroups?.[0]?.TargetGroupArn).toBe(primary);
    expect((await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups).toHaveLength(2);
  });

  it('changes weights with ModifyListener and keeps stickiness', async () => {
    await elb.send(new ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: weighted(primary, canary, [80, 20]) }));
    const listener = (await elb.send(new DescribeListenersCommand({ ListenerArns: [listenerArn] }))).Listeners?.[0];
    const forward = listener?.DefaultActions?.[0]?.ForwardConfig;
    expect(forward?.TargetGroups).toEqual([
      { TargetGroupArn: primary, Weight: 80 },
      { TargetGroupArn: canary, Weight: 20 },
    ]);
    expect(forward?.TargetGroupStickinessConfig).toEqual({ Enabled: true, DurationSeconds: 3600 });
    expect(listener?.Port).toBe(80);
  });

  it('describes the default rule with priority "default" and the listener actions', async () => {
    const rules = (await elb.send(new DescribeRulesCommand({ ListenerArn: listenerArn }))).Rules ?? [];
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({ Priority: 'default', IsDefault: true, Conditions: [] });
    expect(rules[0]?.Actions?.[0]?.ForwardConfig?.TargetGroups?.map((t) => t.Weight)).toEqual([100, 0]);
  });

  it('creates a path rule, modifies only its actions, and keeps its conditions', async () => {
    const created = await elb.send(
      new CreateRuleCommand({
        ListenerArn: listenerArn,
        Priority: 10,
        Conditions: [{ Field: 'path-pattern', Values: ['/api/*'] }],
        Actions: [{ Type: 'forward', TargetGroupArn: primary }],
      }),
    );
    const rule = created.Rules?.[0];
    // A single-group forward reads back as both TargetGroupArn and a weight-1 ForwardConfig.
    expect(rule?.Actions?.[0]).toMatchObject({ TargetGroupArn: primary, ForwardConfig: { TargetGroups: [{ TargetGroupArn: primary, Weight: 1 }] } });
    await elb.send(new ModifyRuleCommand({ RuleArn: rule?.RuleArn, Actions: weighted(primary, canary, [50, 50]) }));
    const [read] = (await elb.send(new DescribeRulesCommand({ RuleArns: [rule?.RuleArn as string] }))).Rules ?? [];
    expect(read).toMatchObject({ Priority: '10', IsDefault: false, Conditions: [{ Field: 'path-pattern', Values: ['/api/*'] }] });
    expect(read?.Actions?.[0]?.ForwardConfig?.TargetGroups?.map((t) => t.Weight)).toEqual([50, 50]);
    const groups = (await elb.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [canary] }))).TargetGroups;
    expect(groups?.[0]?.LoadBalancerArns).toEqual([lbArn]);
  });

  it.each([
    ['fail: a weight above 999', weighted('P', 'C', [1000, 0]).map((a) => a), 'ValidationError'],
    [
      'fail: an unknown target group',
      [{ Type: 'forward', TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/nope/0000000000000000' }],
      'TargetGroupNotFoundException',
    ],
  ] as const)('%s is rejected with the service error (as the SDK names it)', async (_name, actions, code) => {
    const fixed = JSON.parse(JSON.stringify(actions).replaceAll('"P"', JSON.stringify(primary)).replaceAll('"C"', JSON.stringify(canary))) as Action[];
    const err = await failure(elb.send(new ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: fixed })));
    expect(err.name).toBe(code);
    expect(err.$metadata.httpStatusCode).toBe(400);
  });

  it('rejects more than 5 target groups in one forward', async () => {
    const names = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
    const arns: string[] = [];
    for (const n of names) {
      arns.push((await elb.send(new CreateTargetGroupCommand({ Name: n, Protocol: 'HTTP', Port: 80 }))).TargetGroups?.[0]?.TargetGroupArn as string);
    }
    const err = await failure(
      elb.send(
        new ModifyListenerCommand({
          ListenerArn: listenerArn,
          DefaultActions: [{ Type: 'forward', ForwardConfig: { TargetGroups: arns.map((a) => ({ TargetGroupArn: a, Weight: 1 })) } }],
        }),
      ),
    );
    expect(err.name).toBe('ValidationError');
  });

  // The wire codes are ListenerNotFound / RuleNotFound; the SDK maps them to its modelled exception classes.
  it('answers unknown listener and rule ARNs with ListenerNotFound and RuleNotFound', async () => {
    const ghost = `${listenerArn.slice(0, -16)}ffffffffffffffff`;
    expect((await failure(elb.send(new DescribeListenersCommand({ ListenerArns: [ghost] })))).name).toBe('ListenerNotFoundException');
    expect((await failure(elb.send(new ModifyRuleCommand({ RuleArn: `${ghost}/0`, Actions: weighted(primary, canary, [1, 0]) })))).name).toBe(
      'RuleNotFoundException',
    );
  });

  it('walks a registered target through initial, healthy, and draining until gone', async () => {
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: primary, Targets: [{ Id: '10.1.0.1', Port: 80 }] }));
    const state = async () =>
      (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: primary }))).TargetHealthDescriptions?.map((d) => d.TargetHealth);
    expect(await state()).toEqual([{ State: 'initial', Reason: 'Elb.InitialHealthChecking', Description: 'Initial health checks in progress' }]);
    clock.advance(10_000);
    expect(await state()).toEqual([{ State: 'healthy' }]);
    await elb.send(new DeregisterTargetsCommand({ TargetGroupArn: primary, Targets: [{ Id: '10.1.0.1', Port: 80 }] }));
    expect((await state())?.[0]).toMatchObject({ State: 'draining', Reason: 'Target.DeregistrationInProgress' });
    clock.advance(30_000);
    expect(await state()).toEqual([]);
  });

  it('keeps targets of an unhealthy-fault group failing health checks', async () => {
    emulator.faults.unhealthyTargets({ targetGroupArn: canary });
    await elb.send(new RegisterTargetsCommand({ TargetGroupArn: canary, Targets: [{ Id: '10.1.0.2' }] }));
    clock.advance(60_000);
    const [d] = (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: canary }))).TargetHealthDescriptions ?? [];
    expect(d).toMatchObject({ Target: { Id: '10.1.0.2', Port: 80 }, TargetHealth: { State: 'unhealthy', Reason: 'Target.FailedHealthChecks' } });
  });

  it('throttles ELBv2 calls with code Throttling, retried by the SDK', async () => {
    emulator.faults.inject({ service: 'elbv2', operation: 'ModifyListener', kind: 'throttle', times: 1 });
    await elb.send(new ModifyListenerCommand({ ListenerArn: listenerArn, DefaultActions: weighted(primary, canary, [90, 10]) }));
    expect(emulator.calls.count({ service: 'elbv2', operation: 'ModifyListener' })).toBe(2);
    expect(emulator.calls.count({ service: 'elbv2', mutating: true })).toBe(2 + 4);

    const once = new ElasticLoadBalancingV2Client(localClientConfig(server.url, 1));
    emulator.faults.inject({ service: 'elbv2', operation: 'DescribeRules', kind: 'throttle' });
    const throttled = await failure(once.send(new DescribeRulesCommand({ ListenerArn: listenerArn })));
    expect(throttled).toMatchObject({ name: 'Throttling', message: 'Rate exceeded' });
    emulator.faults.clear();
    emulator.faults.inject({ service: 'elbv2', operation: 'DescribeRules', kind: 'http500', times: 1 });
    const broken = await failure(once.send(new DescribeRulesCommand({ ListenerArn: listenerArn })));
    once.destroy();
    expect(broken).toMatchObject({ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
  });
});
