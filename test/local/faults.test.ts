import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  CreateTaskSetCommand,
  DeleteServiceCommand,
  DescribeServicesCommand,
  DescribeTaskSetsCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTagsForResourceCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateTaskSetCommand,
} from '@aws-sdk/client-ecs';
import { startAwsServer, type AwsServer } from '../../src/local/aws-server.js';
import { ManualClock } from '../../src/local/clock.js';
import { localClientConfig } from '../../src/aws/client-config.js';
import { createEcsElbv2Emulator, type LocalEcsElbv2 } from '../../src/local/ecs-elbv2/index.js';
import { seedTargetGroup } from './support/target-group.js';

/** The target group the sets register in; created with a listener forwarding to it, as ECS requires. */
let TG: string;

describe('fault injection and task lifecycle', () => {
  let clock: ManualClock;
  let emulator: LocalEcsElbv2;
  let server: AwsServer;
  let ecs: ECSClient;

  beforeEach(async () => {
    clock = new ManualClock();
    emulator = createEcsElbv2Emulator({ clock });
    server = await startAwsServer([emulator.handler]);
    ecs = new ECSClient(localClientConfig(server.url));
    TG = await seedTargetGroup(server.url, 'web-canary');
    await ecs.send(new CreateClusterCommand({ clusterName: 'demo' }));
    await ecs.send(new CreateServiceCommand({ cluster: 'demo', serviceName: 'web', desiredCount: 2, deploymentController: { type: 'EXTERNAL' } }));
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'web', containerDefinitions: [{ name: 'web', image: 'web:1' }] }));
  });
  afterEach(async () => {
    ecs.destroy();
    await server.close();
  });

  const createSet = async (percent = 100) =>
    (
      await ecs.send(
        new CreateTaskSetCommand({
          cluster: 'demo',
          service: 'web',
          taskDefinition: 'web:1',
          scale: { unit: 'PERCENT', value: percent },
          loadBalancers: [{ targetGroupArn: TG, containerName: 'web', containerPort: 8080 }],
          tags: [{ key: 'stepcd:app', value: 'web' }],
        }),
      )
    ).taskSet!;
  const stability = async (id: string) =>
    (await ecs.send(new DescribeTaskSetsCommand({ cluster: 'demo', service: 'web', taskSets: [id] }))).taskSets?.[0]?.stabilityStatus;

  it('keeps a set behind never-healthy targets STABILIZING although its tasks run', async () => {
    emulator.faults.unhealthyTargets({ targetGroupArn: TG });
    const set = await createSet();
    clock.advance(120_000);
    const [described] = (await ecs.send(new DescribeTaskSetsCommand({ cluster: 'demo', service: 'web', taskSets: [set.id!] }))).taskSets ?? [];
    expect(described).toMatchObject({ runningCount: 2, pendingCount: 0, stabilityStatus: 'STABILIZING' });
    expect(emulator.inspect.targetStatesOf(TG)).toEqual({ unhealthy: 2 });
    emulator.faults.clear();
    expect(await stability(set.id!)).toBe('STEADY_STATE');
  });

  it('crashes only the task set named by id, and tasks already running crash from the moment of injection', async () => {
    const healthy = await createSet(50);
    const doomed = await createSet(50);
    clock.advance(60_000);
    emulator.faults.crashTasks({ taskSetId: doomed.taskSetArn!, reason: 'OutOfMemoryError: Container killed due to memory usage' });
    clock.advance(1_000);
    const stopped = (await ecs.send(new ListTasksCommand({ cluster: 'demo', desiredStatus: 'STOPPED' }))).taskArns ?? [];
    expect(stopped).toHaveLength(1);
    const [task] = (await ecs.send(new DescribeTasksCommand({ cluster: 'demo', tasks: stopped }))).tasks ?? [];
    expect(task).toMatchObject({ startedBy: doomed.id, stoppedReason: 'OutOfMemoryError: Container killed due to memory usage' });
    expect(task?.containers?.[0]?.reason).toBe('OutOfMemoryError: Container killed due to memory usage');
    // ECS starts a replacement at once.
    expect((await ecs.send(new ListTasksCommand({ cluster: 'demo', startedBy: doomed.id }))).taskArns).toHaveLength(1);
    expect(await stability(doomed.id!)).toBe('STABILIZING');
    expect(await stability(healthy.id!)).toBe('STEADY_STATE');
  });

  it('stays bounded when the clock jumps far over a crash loop', async () => {
    emulator.faults.crashTasks({ family: 'web', reason: 'boom' });
    const set = await createSet();
    clock.advance(24 * 3600_000);
    expect(await stability(set.id!)).toBe('STABILIZING');
    const stopped = (await ecs.send(new ListTasksCommand({ cluster: 'demo', desiredStatus: 'STOPPED' }))).taskArns ?? [];
    expect(stopped.length).toBeLessThanOrEqual(50);
  });

  it('fails a call only as many times as asked, and records each failure', async () => {
    emulator.faults.inject({ service: 'ecs', operation: 'UpdateTaskSet', kind: 'http500', times: 2 });
    const set = await createSet();
    await ecs.send(new UpdateTaskSetCommand({ cluster: 'demo', service: 'web', taskSet: set.id, scale: { unit: 'PERCENT', value: 50 } }));
    const updates = emulator.calls.all().filter((c) => c.operation === 'UpdateTaskSet');
    expect(updates.map((c) => c.faulted)).toEqual([true, true, false]);
    expect(updates.every((c) => c.mutating)).toBe(true);
    expect(emulator.calls.count({ operation: 'CreateTaskSet', mutating: true })).toBe(1);
  });

  it('drains the targets of scaled-in tasks before stopping them', async () => {
    const set = await createSet();
    clock.advance(20_000);
    await ecs.send(new UpdateTaskSetCommand({ cluster: 'demo', service: 'web', taskSet: set.id, scale: { unit: 'PERCENT', value: 50 } }));
    expect(emulator.inspect.targetStatesOf(TG)).toEqual({ healthy: 1, draining: 1 });
    const [draining] = (await ecs.send(new ListTasksCommand({ cluster: 'demo', desiredStatus: 'STOPPED' }))).taskArns ?? [];
    expect((await ecs.send(new DescribeTasksCommand({ cluster: 'demo', tasks: [draining!] }))).tasks?.[0]?.lastStatus).toBe('DEACTIVATING');
    clock.advance(40_000);
    expect(emulator.inspect.targetStatesOf(TG)).toEqual({ healthy: 1 });
    expect((await ecs.send(new DescribeTasksCommand({ cluster: 'demo', tasks: [draining!] }))).tasks?.[0]?.lastStatus).toBe('STOPPED');
  });

  it('tags task sets and services and lists them back', async () => {
    const set = await createSet();
    expect((await ecs.send(new ListTagsForResourceCommand({ resourceArn: set.taskSetArn }))).tags).toEqual([{ key: 'stepcd:app', value: 'web' }]);
    const serviceArn = 'arn:aws:ecs:us-east-1:000000000000:service/demo/web';
    await ecs.send(
      new TagResourceCommand({
        resourceArn: serviceArn,
        tags: [
          { key: 'a', value: '1' },
          { key: 'b', value: '2' },
        ],
      }),
    );
    await ecs.send(new UntagResourceCommand({ resourceArn: serviceArn, tagKeys: ['a'] }));
    const described = await ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: [serviceArn], include: ['TAGS'] }));
    expect(described.services?.[0]?.tags).toEqual([{ key: 'b', value: '2' }]);
  });

  it('deletes a service only when scaled to 0 or forced, going DRAINING then INACTIVE', async () => {
    await createSet();
    clock.advance(20_000);
    const refused = await ecs.send(new DeleteServiceCommand({ cluster: 'demo', service: 'web' })).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(refused?.name).toBe('InvalidParameterException');
    const deleted = await ecs.send(new DeleteServiceCommand({ cluster: 'demo', service: 'web', force: true }));
    expect(deleted.service?.status).toBe('DRAINING');
    clock.advance(60_000);
    expect((await ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['web'] }))).services?.[0]?.status).toBe('INACTIVE');
  });
});
