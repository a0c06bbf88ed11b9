import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloudWatchClient, DeleteAlarmsCommand, DescribeAlarmsCommand, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { localClientConfig } from '../../src/aws/client-config.js';
import { startAwsServer, type AwsServer } from '../../src/local/aws-server.js';
import { ManualClock } from '../../src/local/clock.js';
import { createLocalCloudWatch, type LocalCloudWatch } from '../../src/local/cloudwatch/index.js';

const ALARM = {
  MetricName: 'HTTPCode_Target_5XX_Count',
  Namespace: 'AWS/ApplicationELB',
  Statistic: 'Sum' as const,
  Period: 60,
  EvaluationPeriods: 1,
  Threshold: 5,
  ComparisonOperator: 'GreaterThanThreshold' as const,
};

describe('local CloudWatch: alarms over the real SDK client', () => {
  let clock: ManualClock;
  let cloudwatch: LocalCloudWatch;
  let server: AwsServer;
  let client: CloudWatchClient;
  beforeEach(async () => {
    clock = new ManualClock(Date.UTC(2026, 0, 2));
    cloudwatch = createLocalCloudWatch(clock);
    server = await startAwsServer([cloudwatch.handler]);
    client = new CloudWatchClient(localClientConfig(server.url, 1));
  });
  afterEach(async () => {
    client.destroy();
    await server.close();
  });

  it('creates an alarm in INSUFFICIENT_DATA and describes it with its ARN and definition', async () => {
    await client.send(new PutMetricAlarmCommand({ AlarmName: 'web-5xx', ...ALARM }));
    const out = await client.send(new DescribeAlarmsCommand({ AlarmNames: ['web-5xx'] }));
    expect(out.MetricAlarms).toEqual([
      expect.objectContaining({
        AlarmName: 'web-5xx',
        AlarmArn: 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:web-5xx',
        StateValue: 'INSUFFICIENT_DATA',
        MetricName: 'HTTPCode_Target_5XX_Count',
        Threshold: 5,
        StateUpdatedTimestamp: new Date(Date.UTC(2026, 0, 2)),
      }),
    ]);
  });

  it('changes state with SetAlarmState, keeping the reason and the time of the change', async () => {
    await client.send(new PutMetricAlarmCommand({ AlarmName: 'web-5xx', ...ALARM }));
    clock.advance(60_000);
    await client.send(new SetAlarmStateCommand({ AlarmName: 'web-5xx', StateValue: 'ALARM', StateReason: '5xx above 5 for 1 minute' }));
    const [alarm] = (await client.send(new DescribeAlarmsCommand({ AlarmNames: ['web-5xx'] }))).MetricAlarms ?? [];
    expect(alarm).toMatchObject({ StateValue: 'ALARM', StateReason: '5xx above 5 for 1 minute' });
    expect(alarm?.StateUpdatedTimestamp).toEqual(new Date(Date.UTC(2026, 0, 2, 0, 1)));
  });

  it('leaves names that do not exist out of DescribeAlarms, and lists all alarms without a filter', async () => {
    await client.send(new PutMetricAlarmCommand({ AlarmName: 'b', ...ALARM }));
    await client.send(new PutMetricAlarmCommand({ AlarmName: 'a', ...ALARM }));
    const filtered = await client.send(new DescribeAlarmsCommand({ AlarmNames: ['a', 'missing'] }));
    expect(filtered.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['a']);
    const all = await client.send(new DescribeAlarmsCommand({}));
    expect(all.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['a', 'b']);
  });

  it('answers SetAlarmState on a missing alarm with ResourceNotFound', async () => {
    await expect(client.send(new SetAlarmStateCommand({ AlarmName: 'nope', StateValue: 'ALARM', StateReason: 'x' }))).rejects.toMatchObject({
      name: 'ResourceNotFound',
    });
  });

  it('deletes alarms, and refuses the whole call when one name does not exist', async () => {
    await client.send(new PutMetricAlarmCommand({ AlarmName: 'a', ...ALARM }));
    await expect(client.send(new DeleteAlarmsCommand({ AlarmNames: ['a', 'nope'] }))).rejects.toMatchObject({ name: 'ResourceNotFound' });
    expect(cloudwatch.alarms.describe(['a'])).toHaveLength(1);
    await client.send(new DeleteAlarmsCommand({ AlarmNames: ['a'] }));
    expect(cloudwatch.alarms.describe()).toEqual([]);
  });

  it('counts calls by operation name', async () => {
    await client.send(new PutMetricAlarmCommand({ AlarmName: 'a', ...ALARM }));
    await client.send(new DescribeAlarmsCommand({ AlarmNames: ['a'] }));
    expect(cloudwatch.calls).toEqual(['PutMetricAlarm', 'DescribeAlarms']);
  });

  it('ignores requests for other services so it can share the AWS port', async () => {
    const answer = await cloudwatch.handler({ method: 'POST', path: '/', headers: {}, target: 'AWSEvents.PutEvents', contentType: '', body: '{}' });
    expect(answer).toBeUndefined();
  });
});
