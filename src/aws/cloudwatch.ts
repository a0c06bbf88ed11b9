import { CloudWatchClient, DescribeAlarmsCommand, type CompositeAlarm, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { wrapAwsError } from '../errors.js';
import type { AwsClientConfig } from './client-config.js';
import type { AlarmPort, AlarmState, AlarmStatus } from '../stages/ports.js';

/** DescribeAlarms takes at most 100 AlarmNames per call. */
const MAX_NAMES_PER_CALL = 100;
const STATES: readonly AlarmState[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

/** AlarmPort over @aws-sdk/client-cloudwatch. It only translates shapes and classifies errors. */
export function createAlarmAdapter(config: AwsClientConfig | CloudWatchClient): AlarmPort {
  const client = config instanceof CloudWatchClient ? config : new CloudWatchClient(config);
  return {
    async describeAlarms(names) {
      const found: AlarmStatus[] = [];
      for (let i = 0; i < names.length; i += MAX_NAMES_PER_CALL) {
        const batch = names.slice(i, i + MAX_NAMES_PER_CALL);
        let nextToken: string | undefined;
        do {
          const page = await client
            // Composite alarms too: a deployment gate is often one composite over several metric alarms.
            .send(new DescribeAlarmsCommand({ AlarmNames: batch, AlarmTypes: ['MetricAlarm', 'CompositeAlarm'], NextToken: nextToken }))
            .catch((err: unknown) => {
              throw wrapAwsError(`describing CloudWatch alarms ${batch.join(', ')}`, err);
            });
          found.push(...[...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])].flatMap(toStatus));
          nextToken = page.NextToken;
        } while (nextToken);
      }
      return found;
    },
  };
}

function toStatus(alarm: MetricAlarm | CompositeAlarm): AlarmStatus[] {
  if (!alarm.AlarmName) return [];
  const state = STATES.find((s) => s === alarm.StateValue) ?? 'INSUFFICIENT_DATA';
  return [{ name: alarm.AlarmName, state, reason: alarm.StateReason ?? '' }];
}
