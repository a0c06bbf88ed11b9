import { DeleteTaskSetCommand, ListTasksCommand, RunTaskCommand, StopTaskCommand, UpdateTaskSetCommand } from '@aws-sdk/client-ecs';
import { beforeAll, describe, expect, it } from 'vitest';
import { envelope, matches, type CapturedEvent, type EventRule } from '../../src/local/eventbridge/index.js';
import { readFunctionEventRules } from '../../src/local/serverless-rules.js';
import { useEcsWorld } from './support/ecs-world.js';

const AWSVPC = { awsvpcConfiguration: { subnets: ['subnet-1'], assignPublicIp: 'DISABLED' as const } };

/**
 * Each way the emulator stops a task, with the stop code and reason ECS gives it, and whether
 * serverless.yml's rules deliver its "ECS Task State Change" to ecs-events: deliberate stops (scale-in,
 * task set deletion, StopTask) do not; every stop a wait can end on does.
 */
describe('ECS task stops: their stop codes, and which invoke ecs-events', () => {
  let rules: EventRule[];
  const world = useEcsWorld({
    timings: { taskStartMs: 5_000, healthyAfterMs: 10_000, drainMs: 0, taskStopMs: 2_000, standaloneRunMs: 5_000 },
    taskDefinitions: ['web', 'job'].map((family) => ({
      family,
      networkMode: 'awsvpc',
      containerDefinitions: [{ name: family, image: `registry.example.com/${family}:1.0.0`, essential: true }],
    })),
    maxAttempts: 1,
  });
  beforeAll(async () => {
    rules = (await readFunctionEventRules({ stateMachineName: 'sm', eventBusName: 'stepcd' }))['ecs-events']!;
  });
  const stops = () => world.bus.find({ detailType: ['ECS Task State Change'] });
  /** Lets the emulator's clock pass and its ticker publish what happened. */
  const advance = async (ms: number) => {
    world.clock.advance(ms);
    await new Promise((r) => setTimeout(r, 30));
  };
  const delivered = (e: CapturedEvent) => rules.some((rule) => matches(rule, e));
  const summary = (e: CapturedEvent) => {
    const d = e.detail as { stopCode?: string; stoppedReason?: string; group?: string };
    return { stopCode: d.stopCode, stoppedReason: d.stoppedReason, group: d.group, delivered: delivered(e) };
  };

  it('scale-in and task set deletion: ServiceSchedulerInitiated, "Scaling activity initiated by", not delivered', async () => {
    const set = await world.createSet();
    await advance(6_000);
    await world.ecs.send(new UpdateTaskSetCommand({ cluster: 'demo', service: 'web', taskSet: set.id!, scale: { unit: 'PERCENT', value: 50 } }));
    await advance(3_000);
    await world.ecs.send(new DeleteTaskSetCommand({ cluster: 'demo', service: 'web', taskSet: set.id!, force: true }));
    await advance(3_000);

    expect(stops().map(summary)).toEqual([
      { stopCode: 'ServiceSchedulerInitiated', stoppedReason: `Scaling activity initiated by (deployment ${set.id})`, group: 'service:web', delivered: false },
      { stopCode: 'ServiceSchedulerInitiated', stoppedReason: `Scaling activity initiated by (deployment ${set.id})`, group: 'service:web', delivered: false },
    ]);
  });

  it("StopTask of a service's task: UserInitiated with the caller's reason, not delivered", async () => {
    await world.createSet();
    await advance(6_000);
    const [taskArn] = (await world.ecs.send(new ListTasksCommand({ cluster: 'demo', serviceName: 'web' }))).taskArns!;
    await world.ecs.send(new StopTaskCommand({ cluster: 'demo', task: taskArn, reason: 'operator' }));
    await advance(3_000);

    expect(stops().map(summary)).toEqual([{ stopCode: 'UserInitiated', stoppedReason: 'operator', group: 'service:web', delivered: false }]);
  });

  it('a crash and a failed container health check: delivered, with the code and reason ECS gives', async () => {
    world.emulator.faults.failHealthChecks({ family: 'web', check: 'container', afterMs: 1_000 });
    await world.createSet();
    await advance(7_000);
    await advance(3_000);
    world.emulator.faults.clear();
    world.emulator.faults.crashTasks({ family: 'web', reason: 'Essential container in task exited', afterMs: 1_000 });
    await advance(20_000);

    const seen = stops().map(summary);
    expect(seen).toContainEqual({
      stopCode: 'ServiceSchedulerInitiated',
      stoppedReason: 'Task failed container health checks',
      group: 'service:web',
      delivered: true,
    });
    expect(seen).toContainEqual({
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      group: 'service:web',
      delivered: true,
    });
  });

  it('a standalone task: its exit (0 included) is delivered, its StopTask not', async () => {
    const run = async () =>
      (await world.ecs.send(new RunTaskCommand({ cluster: 'demo', taskDefinition: 'job', launchType: 'FARGATE', networkConfiguration: AWSVPC }))).tasks![0]!;
    await run();
    await advance(12_000);
    const stopped = await run();
    await advance(1_000);
    await world.ecs.send(new StopTaskCommand({ cluster: 'demo', task: stopped.taskArn, reason: 'stepcd: ECS_RUN_TASK timed out' }));
    await advance(3_000);

    const [exited, userStopped] = stops();
    expect(summary(exited!)).toEqual({
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      group: 'family:job',
      delivered: true,
    });
    expect((envelope(exited!).detail as { containers: { exitCode: number }[] }).containers[0]?.exitCode).toBe(0);
    expect(summary(userStopped!)).toEqual({
      stopCode: 'UserInitiated',
      stoppedReason: 'stepcd: ECS_RUN_TASK timed out',
      group: 'family:job',
      delivered: false,
    });
  });

  it('every stop a standalone task can have but StopTask is delivered (a Spot interruption ends its wait too)', () => {
    const event = (detail: Record<string, unknown>): CapturedEvent => ({
      id: 'x',
      source: 'aws.ecs',
      detailType: 'ECS Task State Change',
      eventBusName: 'default',
      time: '2026-01-02T00:00:00.000Z',
      resources: [],
      detail: { lastStatus: 'STOPPED', ...detail },
    });
    expect(delivered(event({ group: 'family:job', stopCode: 'SpotInterruption', stoppedReason: 'Your Spot Task was interrupted.' }))).toBe(true);
    expect(delivered(event({ group: 'service:web', stopCode: 'SpotInterruption', stoppedReason: 'Your Spot Task was interrupted.' }))).toBe(false);
    expect(
      delivered(
        event({ group: 'service:web', stopCode: 'TaskFailedToStart', stoppedReason: 'CannotPullContainerError: pull image manifest has been retried' }),
      ),
    ).toBe(true);
    expect(
      delivered(
        event({ group: 'service:web', stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Task failed ELB health checks in (target-group arn:tg)' }),
      ),
    ).toBe(true);
    expect(delivered(event({ group: 'family:job', stopCode: 'EssentialContainerExited', lastStatus: 'RUNNING' }))).toBe(false);
  });
});
