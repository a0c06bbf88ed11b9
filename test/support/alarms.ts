import { PutMetricAlarmCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';

/** A target-5xx alarm as an ANALYSIS stage would watch; its state is then set by the test. */
export function putTarget5xxAlarm(cloudwatch: CloudWatchClient, name: string) {
  return cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: name,
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'HTTPCode_Target_5XX_Count',
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
    }),
  );
}
