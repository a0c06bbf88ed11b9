import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CreateClusterCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  StopTaskCommand,
} from '@aws-sdk/client-ecs';
import { startAwsServer, type AwsServer } from '../../src/local/aws-server.js';
import { ManualClock } from '../../src/local/clock.js';
import { localClientConfig } from '../../src/aws/client-config.js';
import { createEcsElbv2Emulator, type LocalEcsElbv2 } from '../../src/local/ecs-elbv2/index.js';

const AWSVPC = { awsvpcConfiguration: { subnets: ['subnet-1'], assignPublicIp: 'DISABLED' as const } };

describe('standalone tasks (RunTask, DescribeTasks, StopTask)', () => {
  let clock: ManualClock;
  let emulator: LocalEcsElbv2;
  let server: AwsServer;
  let ecs: ECSClient;

  beforeEach(async () => {
    clock = new ManualClock();
    emulator = createEcsElbv2Emulator({ clock, timings: { taskStartMs: 1_000, standaloneRunMs: 5_000, taskStopMs: 1_000 } });
    server = await startAwsServer([emulator.handler]);
    ecs = new ECSClient(localClientConfig(server.url, 1));
    await ecs.send(new CreateClusterCommand({ clusterName: 'jobs' }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'migrate',
        networkMode: 'awsvpc',
        containerDefinitions: [
          { name: 'migrate', image: 'migrate:1.0.0', essential: true },
          { name: 'sidecar', image: 'log-router:2', essential: false },
        ],
      }),
    );
  });
  afterEach(async () => {
    ecs.destroy();
    await server.close();
  });

  const run = (extra: Record<string, unknown> = {}) =>
    ecs.send(new RunTaskCommand({ cluster: 'jobs', taskDefinition: 'migrate', launchType: 'FARGATE', networkConfiguration: AWSVPC, ...extra }));
  const describe1 = async (arn: string) => (await ecs.send(new DescribeTasksCommand({ cluster: 'jobs', tasks: [arn] }))).tasks![0]!;

  it('success: runs PENDING → RUNNING → STOPPED with exit code 0 on every container', async () => {
    const { tasks } = await run({ startedBy: 'stepcd-dep1' });
    const arn = tasks![0]!.taskArn!;
    expect(tasks![0]!.lastStatus).toBe('PENDING');
    expect(tasks![0]!.group).toBe('family:migrate');
    clock.advance(1_000);
    expect((await describe1(arn)).lastStatus).toBe('RUNNING');
    clock.advance(5_000);
    expect((await describe1(arn)).desiredStatus).toBe('STOPPED');
    clock.advance(1_000);
    const done = await describe1(arn);
    expect(done.lastStatus).toBe('STOPPED');
    expect(done.stopCode).toBe('EssentialContainerExited');
    expect(done.containers!.map((c) => [c.name, c.exitCode])).toEqual([
      ['migrate', 0],
      ['sidecar', 0],
    ]);
    const listed = await ecs.send(new ListTasksCommand({ cluster: 'jobs', startedBy: 'stepcd-dep1', desiredStatus: 'STOPPED' }));
    expect(listed.taskArns).toEqual([arn]);
  });

  it('success: an injected exit code lands on the named container, with its reason', async () => {
    emulator.faults.exitCodes({ family: 'migrate', container: 'migrate', exitCode: 3, reason: 'migration 0042 failed' });
    const arn = (await run()).tasks![0]!.taskArn!;
    clock.advance(10_000);
    const done = await describe1(arn);
    expect(done.containers!.find((c) => c.name === 'migrate')).toMatchObject({ exitCode: 3, reason: 'migration 0042 failed' });
    expect(done.containers!.find((c) => c.name === 'sidecar')?.exitCode).toBe(0);
  });

  it('success: a retried RunTask with the same clientToken returns the same task', async () => {
    const first = (await run({ clientToken: 'dep1-stage2' })).tasks![0]!.taskArn;
    const again = (await run({ clientToken: 'dep1-stage2' })).tasks![0]!.taskArn;
    expect(again).toBe(first);
    expect((await ecs.send(new ListTasksCommand({ cluster: 'jobs' }))).taskArns).toHaveLength(1);
  });

  it('success: StopTask stops a running task with the reason and exit code 137', async () => {
    const arn = (await run()).tasks![0]!.taskArn!;
    clock.advance(2_000);
    const stopped = await ecs.send(new StopTaskCommand({ cluster: 'jobs', task: arn, reason: 'deployment cancelled' }));
    expect(stopped.task?.desiredStatus).toBe('STOPPED');
    clock.advance(1_000);
    const done = await describe1(arn);
    expect(done).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'UserInitiated', stoppedReason: 'deployment cancelled' });
    expect(done.containers![0]!.exitCode).toBe(137);
  });

  it.each([
    ['fail: unknown cluster', { cluster: 'nope' }, 'ClusterNotFoundException'],
    ['fail: unknown task definition', { taskDefinition: 'nope:9' }, 'ClientException'],
    ['fail: awsvpc without a network configuration', { networkConfiguration: undefined }, 'InvalidParameterException'],
    ['fail: awsvpc with no subnets', { networkConfiguration: { awsvpcConfiguration: { subnets: [] } } }, 'InvalidParameterException'],
    ['fail: an invalid launch type', { launchType: 'LAMBDA' }, 'InvalidParameterException'],
    ['fail: a launch type and a capacity provider strategy', { capacityProviderStrategy: [{ capacityProvider: 'FARGATE' }] }, 'InvalidParameterException'],
  ])('%s', async (_name, extra, code) => {
    await expect(run(extra)).rejects.toMatchObject({ name: code });
    expect((await ecs.send(new ListTasksCommand({ cluster: 'jobs' }))).taskArns).toEqual([]);
  });

  it('fail: StopTask of an unknown task is InvalidParameterException', async () => {
    await expect(ecs.send(new StopTaskCommand({ cluster: 'jobs', task: 'deadbeef' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('fail: throttling and 5xx faults apply to RunTask, DescribeTasks and StopTask', async () => {
    emulator.faults.inject({ service: 'ecs', operation: 'RunTask', kind: 'throttle', times: 1 });
    await expect(run()).rejects.toMatchObject({ name: 'ThrottlingException' });
    const arn = (await run()).tasks![0]!.taskArn!;
    emulator.faults.inject({ service: 'ecs', operation: 'DescribeTasks', kind: 'http500', times: 1 });
    await expect(describe1(arn)).rejects.toMatchObject({ name: 'ServerException' });
    emulator.faults.inject({ service: 'ecs', operation: 'StopTask', kind: 'throttle', times: 1 });
    await expect(ecs.send(new StopTaskCommand({ cluster: 'jobs', task: arn }))).rejects.toMatchObject({ name: 'ThrottlingException' });
    expect(emulator.calls.count({ operation: 'RunTask', mutating: true })).toBe(2);
  });
});
