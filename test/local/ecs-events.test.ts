import { describe, expect, it } from 'vitest';
import { CloudWatchClient, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { localClientConfig } from '../../src/aws/client-config.js';
import { createLocalCloudWatch } from '../../src/local/cloudwatch/index.js';
import type { CapturedEvent } from '../../src/local/eventbridge/index.js';
import { useEcsWorld } from './support/ecs-world.js';

const until = async (what: string, ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!ok()) throw new Error(`timed out waiting for ${what}`);
};

describe('local cloud: ECS and CloudWatch events on the default bus, in AWS shape', () => {
  const world = useEcsWorld({
    timings: { taskStartMs: 5_000, healthyAfterMs: 10_000, drainMs: 30_000, taskStopMs: 2_000 },
    alongside: (clock, bus) => [createLocalCloudWatch(clock, bus).handler],
  });
  const ecsEvents = () => world.bus.find({ source: ['aws.ecs'] });

  it('sends TASKSET_STEADY_STATE once, when the set gets there, naming the service, cluster and set', async () => {
    // Prepare
    const set = await world.createSet();
    await new Promise((r) => setTimeout(r, 20));
    expect(ecsEvents()).toEqual([]);
    // Act
    world.clock.advance(6_000);
    await until('the steady-state event', () => ecsEvents().length > 0);
    await new Promise((r) => setTimeout(r, 20));
    // Assess
    expect(ecsEvents()).toHaveLength(1);
    const [event] = ecsEvents() as [CapturedEvent];
    expect(event).toMatchObject({
      detailType: 'ECS Service Action',
      eventBusName: 'default',
      resources: ['arn:aws:ecs:us-east-1:000000000000:service/demo/web'],
      detail: {
        eventType: 'INFO',
        eventName: 'TASKSET_STEADY_STATE',
        clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/demo',
        taskSetArns: [set.taskSetArn],
      },
    });
  });

  it('sends an ECS Task State Change for each task that reaches STOPPED, with its stop code and reason', async () => {
    world.emulator.faults.crashTasks({ family: 'web', reason: 'Essential container in task exited', afterMs: 1_000 });
    await world.createSet();
    world.clock.advance(7_000);
    await until('a stopped-task event', () => ecsEvents().some((e) => e.detailType === 'ECS Task State Change'));
    const stopped = ecsEvents().find((e) => e.detailType === 'ECS Task State Change')!;
    expect(stopped.detail).toMatchObject({
      clusterArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/demo',
      group: 'service:web',
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited',
    });
    expect(stopped.resources).toEqual([(stopped.detail as { taskArn: string }).taskArn]);
  });

  it('fail: drops events while `lose` lasts, and counts them', async () => {
    world.emulator.faults.events({ lose: 1 });
    await world.createSet();
    world.clock.advance(6_000);
    await until('the loss', () => world.emulator.faults.lostEvents === 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(ecsEvents()).toEqual([]);
  });

  it('holds an event back for `delayMs` of emulated time', async () => {
    world.emulator.faults.events({ delayMs: 60_000 });
    await world.createSet();
    world.clock.advance(6_000);
    await new Promise((r) => setTimeout(r, 30));
    expect(ecsEvents()).toEqual([]);
    world.clock.advance(60_000);
    await until('the delayed event', () => ecsEvents().length === 1);
  });

  it('sends a CloudWatch Alarm State Change when an alarm changes state, not when it stays', async () => {
    const cw = new CloudWatchClient(localClientConfig(world.server.url, 1));
    try {
      await cw.send(
        new PutMetricAlarmCommand({
          AlarmName: 'web-5xx',
          MetricName: 'HTTPCode_Target_5XX_Count',
          Namespace: 'AWS/ApplicationELB',
          Statistic: 'Sum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 5,
          ComparisonOperator: 'GreaterThanThreshold',
        }),
      );
      await cw.send(new SetAlarmStateCommand({ AlarmName: 'web-5xx', StateValue: 'ALARM', StateReason: 'Threshold Crossed' }));
      await cw.send(new SetAlarmStateCommand({ AlarmName: 'web-5xx', StateValue: 'ALARM', StateReason: 'again' }));
      const events = world.bus.find({ source: ['aws.cloudwatch'] });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        detailType: 'CloudWatch Alarm State Change',
        eventBusName: 'default',
        resources: ['arn:aws:cloudwatch:us-east-1:000000000000:alarm:web-5xx'],
        detail: { alarmName: 'web-5xx', state: { value: 'ALARM', reason: 'Threshold Crossed' }, previousState: { value: 'INSUFFICIENT_DATA' } },
      });
    } finally {
      cw.destroy();
    }
  });
});
