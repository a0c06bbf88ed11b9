import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  CreateTaskSetCommand,
  DeleteTaskSetCommand,
  DescribeServicesCommand,
  DescribeTaskSetsCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  UpdateServicePrimaryTaskSetCommand,
} from '@aws-sdk/client-ecs';
import { startAwsServer, type AwsServer } from '../../src/local/aws-server.js';
import { ManualClock } from '../../src/local/clock.js';
import { localClientConfig } from '../../src/aws/client-config.js';
import { createEcsElbv2Emulator, type LocalEcsElbv2 } from '../../src/local/ecs-elbv2/index.js';
import { CreateTargetGroupCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { failure } from '../support/failure.js';
import { seedTargetGroup } from './support/target-group.js';

/** The target group the sets register in; created with a listener forwarding to it, as ECS requires. */
let TG: string;

describe('ECS emulator', () => {
  let clock: ManualClock;
  let emulator: LocalEcsElbv2;
  let server: AwsServer;
  let ecs: ECSClient;

  beforeEach(async () => {
    clock = new ManualClock();
    emulator = createEcsElbv2Emulator({ clock, timings: { taskStartMs: 5_000, healthyAfterMs: 10_000, drainMs: 30_000, taskStopMs: 2_000 } });
    server = await startAwsServer([emulator.handler]);
    ecs = new ECSClient(localClientConfig(server.url));
    TG = await seedTargetGroup(server.url, 'web-primary');
  });
  afterEach(async () => {
    ecs.destroy();
    await server.close();
  });

  async function seedService(desiredCount = 4): Promise<string> {
    await ecs.send(new CreateClusterCommand({ clusterName: 'demo' }));
    await ecs.send(new CreateServiceCommand({ cluster: 'demo', serviceName: 'web', desiredCount, deploymentController: { type: 'EXTERNAL' } }));
    const td = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'web',
        containerDefinitions: [{ name: 'web', image: 'registry.example.com/web:1.0.0', essential: true, portMappings: [{ containerPort: 80 }] }],
      }),
    );
    return td.taskDefinition?.taskDefinitionArn as string;
  }

  async function createSet(percent: number, extra: { clientToken?: string; targetGroupArn?: string } = {}) {
    const out = await ecs.send(
      new CreateTaskSetCommand({
        cluster: 'demo',
        service: 'web',
        taskDefinition: 'web',
        scale: { unit: 'PERCENT', value: percent },
        clientToken: extra.clientToken,
        loadBalancers: extra.targetGroupArn ? [{ targetGroupArn: extra.targetGroupArn, containerName: 'web', containerPort: 80 }] : undefined,
      }),
    );
    return out.taskSet!;
  }

  async function describeSet(id: string) {
    const out = await ecs.send(new DescribeTaskSetsCommand({ cluster: 'demo', service: 'web', taskSets: [id] }));
    return { set: out.taskSets?.[0], failures: out.failures ?? [] };
  }

  it('takes a task set at 30% of 4 through STABILIZING to STEADY_STATE with 2 tasks', async () => {
    const taskDefinitionArn = await seedService(4);
    const created = await createSet(30, { targetGroupArn: TG });
    expect(created.id).toMatch(/^ecs-svc\/\d{19}$/);
    expect(created.taskSetArn).toBe(`arn:aws:ecs:us-east-1:000000000000:task-set/demo/web/${created.id}`);
    expect(created.taskDefinition).toBe(taskDefinitionArn);
    expect(created).toMatchObject({ status: 'ACTIVE', stabilityStatus: 'STABILIZING', computedDesiredCount: 2, pendingCount: 2, runningCount: 0 });
    expect(created.createdAt).toBeInstanceOf(Date);

    clock.advance(5_000);
    expect((await describeSet(created.id!)).set).toMatchObject({ runningCount: 2, pendingCount: 0, stabilityStatus: 'STABILIZING' });

    clock.advance(10_000);
    const { set } = await describeSet(created.id!);
    expect(set).toMatchObject({ runningCount: 2, pendingCount: 0, computedDesiredCount: 2, stabilityStatus: 'STEADY_STATE' });

    const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['web'] }))).services?.[0];
    expect(service).toMatchObject({ runningCount: 2, pendingCount: 0, desiredCount: 4, deployments: [] });
  });

  it('makes a set PRIMARY, moves the service fields to it, and drains the deleted old set until it is gone', async () => {
    await seedService(2);
    const old = await createSet(100, { targetGroupArn: TG });
    await ecs.send(new UpdateServicePrimaryTaskSetCommand({ cluster: 'demo', service: 'web', primaryTaskSet: old.id }));
    clock.advance(20_000);
    const next = await createSet(100, { targetGroupArn: TG });
    clock.advance(20_000);
    await ecs.send(new UpdateServicePrimaryTaskSetCommand({ cluster: 'demo', service: 'web', primaryTaskSet: next.taskSetArn }));
    expect((await describeSet(old.id!)).set?.status).toBe('ACTIVE');
    expect((await describeSet(next.id!)).set?.status).toBe('PRIMARY');
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['web'] }))).services?.[0];
    expect(service?.taskDefinition).toBe(next.taskDefinition);
    expect(service?.loadBalancers?.[0]?.targetGroupArn).toBe(TG);

    const deleted = await ecs.send(new DeleteTaskSetCommand({ cluster: 'demo', service: 'web', taskSet: old.id, force: true }));
    expect(deleted.taskSet?.status).toBe('DRAINING');
    clock.advance(10_000);
    expect((await describeSet(old.id!)).set?.status).toBe('DRAINING');
    clock.advance(30_000);
    const after = await describeSet(old.id!);
    expect(after.set).toBeUndefined();
    expect(after.failures[0]?.reason).toBe('MISSING');
  });

  it('recomputes computed counts when the service desired count changes', async () => {
    await seedService(4);
    const set = await createSet(50);
    expect(set.computedDesiredCount).toBe(2);
    await ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'web', desiredCount: 3 }));
    expect((await describeSet(set.id!)).set?.computedDesiredCount).toBe(2);
    await ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'web', desiredCount: 10 }));
    expect((await describeSet(set.id!)).set).toMatchObject({ computedDesiredCount: 5, pendingCount: 5 });
  });

  it('defaults a task set to 0% when no scale is given', async () => {
    await seedService(4);
    const out = await ecs.send(new CreateTaskSetCommand({ cluster: 'demo', service: 'web', taskDefinition: 'web' }));
    expect(out.taskSet).toMatchObject({ scale: { unit: 'PERCENT', value: 0 }, computedDesiredCount: 0 });
  });

  it('returns the same task set for a repeated clientToken', async () => {
    await seedService(4);
    const first = await createSet(100, { clientToken: 'dep-1-stage-0' });
    const second = await createSet(100, { clientToken: 'dep-1-stage-0' });
    expect(second.id).toBe(first.id);
    const all = await ecs.send(new DescribeTaskSetsCommand({ cluster: 'demo', service: 'web' }));
    expect(all.taskSets).toHaveLength(1);
  });

  it('rejects a TaskDefinition on an EXTERNAL service with the real message', async () => {
    await seedService();
    const err = await failure(
      ecs.send(new CreateServiceCommand({ cluster: 'demo', serviceName: 'api', taskDefinition: 'web', deploymentController: { type: 'EXTERNAL' } })),
    );
    expect(err).toMatchObject({ name: 'InvalidParameterException', message: 'TaskDefinition must be blank.' });
  });

  it('refuses a 6th task set on a service', async () => {
    await seedService();
    for (let i = 0; i < 5; i++) await createSet(10);
    const err = await failure(createSet(10));
    expect(err).toMatchObject({
      name: 'InvalidParameterException',
      message: '5 deployments exist on the service. Unable to create new TaskSet since this exceeds the maximum limit.',
    });
  });

  it.each<[string, Record<string, unknown>, string, string | RegExp]>([
    [
      'fail: a target group that does not exist',
      {
        loadBalancers: [
          { targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/typo/0000000000000000', containerName: 'web', containerPort: 80 },
        ],
      },
      'InvalidParameterException',
      'Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service role being passed has the proper permissions.',
    ],
    [
      'fail: both a launch type and a capacity provider strategy',
      { launchType: 'FARGATE', capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] },
      'InvalidParameterException',
      'Specifying both a launch type and capacity provider strategy is not supported.',
    ],
    ['fail: a service in a cluster that does not exist', { cluster: 'ghost' }, 'ClusterNotFoundException', 'Cluster not found.'],
  ])('CreateTaskSet %s is refused as ECS refuses it, creating nothing', async (_name, fields, code, message) => {
    await seedService();
    const err = await failure(
      ecs.send(
        new CreateTaskSetCommand({ cluster: 'demo', service: 'web', taskDefinition: 'web', scale: { unit: 'PERCENT', value: 100 }, ...fields } as never),
      ),
    );
    expect(err.name).toBe(code);
    expect(err.message).toMatch(message);
    const sets = await ecs.send(new DescribeTaskSetsCommand({ cluster: 'demo', service: 'web' }));
    expect(sets.taskSets).toEqual([]);
  });

  it('refuses a target group no load balancer forwards to', async () => {
    await seedService();
    const elb = new ElasticLoadBalancingV2Client(localClientConfig(server.url));
    const loose = (await elb.send(new CreateTargetGroupCommand({ Name: 'loose', Protocol: 'HTTP', Port: 80 }))).TargetGroups![0]!.TargetGroupArn!;
    elb.destroy();
    const err = await failure(createSet(100, { targetGroupArn: loose }));
    expect(err.name).toBe('InvalidParameterException');
    expect(err.message).toBe(`The target group with targetGroupArn ${loose} does not have an associated load balancer.`);
  });

  it('refuses CreateService on a cluster that does not exist', async () => {
    const err = await failure(ecs.send(new CreateServiceCommand({ cluster: 'ghost', serviceName: 'web', deploymentController: { type: 'EXTERNAL' } })));
    expect(err.name).toBe('ClusterNotFoundException');
  });

  it.each([
    ['launch type', { launchType: 'FARGATE', platformVersion: '1.4.0' }],
    ['capacity provider strategy', { capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 3, base: 1 }] }],
  ])("echoes a task set's %s, network configuration and service registries in DescribeTaskSets", async (_name, placement) => {
    await seedService();
    const network = { awsvpcConfiguration: { subnets: ['subnet-a'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' } };
    const registries = [{ registryArn: 'arn:aws:servicediscovery:us-east-1:000000000000:service/srv-web' }];
    const created = await ecs.send(
      new CreateTaskSetCommand({
        cluster: 'demo',
        service: 'web',
        taskDefinition: 'web',
        scale: { unit: 'PERCENT', value: 100 },
        networkConfiguration: network,
        serviceRegistries: registries,
        ...placement,
      } as never),
    );
    const { set } = await describeSet(created.taskSet!.id!);
    expect(set).toMatchObject({ ...placement, networkConfiguration: network, serviceRegistries: registries });
  });

  it('reports an unknown service as a MISSING failure and an unknown cluster as an exception', async () => {
    await seedService();
    const out = await ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['nope'] }));
    expect(out.services).toEqual([]);
    expect(out.failures).toEqual([{ arn: 'arn:aws:ecs:us-east-1:000000000000:service/demo/nope', reason: 'MISSING' }]);
    const err = await failure(ecs.send(new DescribeServicesCommand({ cluster: 'ghost', services: ['web'] })));
    expect(err.name).toBe('ClusterNotFoundException');
  });

  it('describes at most 10 services a call, as ECS does: 10 answer (unknown ones as failures), 11 or none are refused', async () => {
    await seedService();
    const ten = ['web', ...Array.from({ length: 9 }, (_, i) => `other-${i}`)];
    const out = await ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ten }));
    expect(out.services?.map((s) => s.serviceName)).toEqual(['web']);
    expect(out.failures).toHaveLength(9);
    for (const services of [[...ten, 'one-more'], []]) {
      const err = await failure(ecs.send(new DescribeServicesCommand({ cluster: 'demo', services })));
      expect(err.name).toBe('InvalidParameterException');
    }
  });

  it('refuses to delete the PRIMARY set or a scaled set without force', async () => {
    await seedService();
    const set = await createSet(50);
    const scaled = await failure(ecs.send(new DeleteTaskSetCommand({ cluster: 'demo', service: 'web', taskSet: set.id })));
    expect(scaled).toHaveProperty('name', 'InvalidParameterException');
    await ecs.send(new UpdateServicePrimaryTaskSetCommand({ cluster: 'demo', service: 'web', primaryTaskSet: set.id }));
    const primary = await failure(ecs.send(new DeleteTaskSetCommand({ cluster: 'demo', service: 'web', taskSet: set.id })));
    expect(primary).toHaveProperty('name', 'InvalidParameterException');
  });

  describe('fault injection', () => {
    it('hides a single throttle behind the SDK retries', async () => {
      await seedService();
      emulator.faults.inject({ service: 'ecs', operation: 'DescribeServices', kind: 'throttle', times: 1 });
      const out = await ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['web'] }));
      expect(out.services?.[0]?.serviceName).toBe('web');
      expect(emulator.calls.count({ service: 'ecs', operation: 'DescribeServices' })).toBe(2);
      expect(emulator.calls.all().filter((c) => c.faulted)).toHaveLength(1);
    });

    it('surfaces ThrottlingException once retries run out', async () => {
      await seedService();
      const impatient = new ECSClient(localClientConfig(server.url, 2));
      emulator.faults.inject({ service: 'ecs', operation: 'CreateTaskSet', kind: 'throttle', times: 5 });
      const err = await failure(
        impatient.send(new CreateTaskSetCommand({ cluster: 'demo', service: 'web', taskDefinition: 'web', scale: { unit: 'PERCENT', value: 100 } })),
      );
      impatient.destroy();
      expect(err.name).toBe('ThrottlingException');
      expect(err.$metadata.httpStatusCode).toBe(400);
      expect(emulator.calls.byOperation()['ecs:CreateTaskSet']).toBe(2);
      expect((await ecs.send(new DescribeTaskSetsCommand({ cluster: 'demo', service: 'web' }))).taskSets).toEqual([]);
    });

    it('answers a 500 ServerException for an http500 fault', async () => {
      await seedService();
      const once = new ECSClient(localClientConfig(server.url, 1));
      emulator.faults.inject({ service: 'ecs', operation: 'DescribeServices', kind: 'http500' });
      const err = await failure(once.send(new DescribeServicesCommand({ cluster: 'demo', services: ['web'] })));
      once.destroy();
      expect(err).toMatchObject({ name: 'ServerException', $metadata: { httpStatusCode: 500 } });
    });

    it('crashes matching tasks with the reason, replaces them, and never reaches STEADY_STATE', async () => {
      await seedService(2);
      emulator.faults.crashTasks({ image: 'web:1.0.0', reason: 'Essential container in task exited', afterMs: 1_000 });
      const set = await createSet(100, { targetGroupArn: TG });
      for (let i = 0; i < 10; i++) {
        clock.advance(3_000);
        expect((await describeSet(set.id!)).set?.stabilityStatus).toBe('STABILIZING');
      }
      const stopped = await ecs.send(new ListTasksCommand({ cluster: 'demo', serviceName: 'web', desiredStatus: 'STOPPED' }));
      expect(stopped.taskArns!.length).toBeGreaterThan(2);
      const running = await ecs.send(new ListTasksCommand({ cluster: 'demo', serviceName: 'web', startedBy: set.id }));
      expect(running.taskArns).toHaveLength(2);
      const described = await ecs.send(new DescribeTasksCommand({ cluster: 'demo', tasks: stopped.taskArns!.slice(0, 1) }));
      expect(described.tasks?.[0]).toMatchObject({
        lastStatus: 'STOPPED',
        desiredStatus: 'STOPPED',
        stoppedReason: 'Essential container in task exited',
        stopCode: 'EssentialContainerExited',
        startedBy: set.id,
        group: 'service:web',
        taskDefinitionArn: set.taskDefinition,
      });
      expect(described.tasks?.[0]?.containers?.[0]).toMatchObject({ name: 'web', exitCode: 1 });

      emulator.faults.clear();
      clock.advance(60_000);
      expect((await describeSet(set.id!)).set?.stabilityStatus).toBe('STEADY_STATE');
    });
  });
});
