import type { ServiceHandler } from '../aws-server.js';
import type { Clock } from '../clock.js';
import { LocalAlarms } from './alarms.js';
import { cloudWatchServiceHandler } from './handler.js';

export { LocalAlarms, ALARM_STATES, type AlarmState, type LocalAlarm } from './alarms.js';

/** The local CloudWatch: alarms only (no metrics), served on the local cloud's one AWS port. */
export interface LocalCloudWatch {
  alarms: LocalAlarms;
  /** Operation names in the order they were called. */
  calls: string[];
  handler: ServiceHandler;
}

/** Where alarm state change events go: structurally the local EventBridge bus. */
export interface AlarmEventSink {
  publishLocal(event: { source: string; detailType: string; detail: unknown; eventBusName?: string; resources?: string[] }): unknown;
}

/**
 * The local CloudWatch; with a sink it sends "CloudWatch Alarm State Change" to the default bus in
 * AWS's shape (alarmName, state and previousState with value, reason and timestamp).
 */
export function createLocalCloudWatch(clock: Clock, sink?: AlarmEventSink): LocalCloudWatch {
  const alarms = new LocalAlarms(clock, (alarm, previous) =>
    sink?.publishLocal({
      source: 'aws.cloudwatch',
      detailType: 'CloudWatch Alarm State Change',
      eventBusName: 'default',
      resources: [alarm.arn],
      detail: {
        alarmName: alarm.name,
        state: { value: alarm.state, reason: alarm.reason, timestamp: new Date(alarm.stateUpdatedAt).toISOString() },
        previousState: { value: previous.state, reason: previous.reason, timestamp: new Date(previous.stateUpdatedAt).toISOString() },
        configuration: { description: typeof alarm.definition.AlarmDescription === 'string' ? alarm.definition.AlarmDescription : '' },
      },
    }),
  );
  const calls: string[] = [];
  return { alarms, calls, handler: cloudWatchServiceHandler(alarms, calls) };
}
