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

export function createLocalCloudWatch(clock: Clock): LocalCloudWatch {
  const alarms = new LocalAlarms(clock);
  const calls: string[] = [];
  return { alarms, calls, handler: cloudWatchServiceHandler(alarms, calls) };
}
