import { LOCAL_ACCOUNT, LOCAL_REGION } from '../../aws/client-config.js';
import type { Clock } from '../clock.js';

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
export const ALARM_STATES: readonly AlarmState[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];

/** A metric alarm as the local CloudWatch keeps it: identity and state only, never evaluated. */
export interface LocalAlarm {
  name: string;
  arn: string;
  state: AlarmState;
  reason: string;
  /** Epoch milliseconds, from the cloud's clock. */
  stateUpdatedAt: number;
  /** Everything else PutMetricAlarm was given, echoed back by DescribeAlarms. */
  definition: Record<string, unknown>;
}

/**
 * The alarms of the local CloudWatch. There are no metrics behind them: an alarm changes state only
 * through SetAlarmState, which is how tests (and AWS operators testing alarm actions) drive them.
 */
export class LocalAlarms {
  private readonly alarms = new Map<string, LocalAlarm>();
  constructor(
    private readonly clock: Clock,
    /** Told of every change of an alarm's state value, as CloudWatch tells EventBridge. */
    private readonly onStateChange?: (alarm: LocalAlarm, previous: Pick<LocalAlarm, 'state' | 'reason' | 'stateUpdatedAt'>) => void,
  ) {}

  /** Creates or updates; an update keeps the current state, as PutMetricAlarm does. */
  put(name: string, definition: Record<string, unknown>): void {
    const existing = this.alarms.get(name);
    if (existing) {
      existing.definition = definition;
      return;
    }
    this.alarms.set(name, {
      name,
      arn: `arn:aws:cloudwatch:${LOCAL_REGION}:${LOCAL_ACCOUNT}:alarm:${name}`,
      state: 'INSUFFICIENT_DATA',
      reason: 'Unchecked: Initial alarm creation',
      stateUpdatedAt: this.clock.now(),
      definition,
    });
  }

  /** false when the alarm does not exist. */
  setState(name: string, state: AlarmState, reason: string): boolean {
    const alarm = this.alarms.get(name);
    if (!alarm) return false;
    const previous = { state: alarm.state, reason: alarm.reason, stateUpdatedAt: alarm.stateUpdatedAt };
    alarm.state = state;
    alarm.reason = reason;
    alarm.stateUpdatedAt = this.clock.now();
    // CloudWatch sends an event only when the value changes, not for a repeated SetAlarmState.
    if (previous.state !== state) this.onStateChange?.(alarm, previous);
    return true;
  }

  /** The named alarms that exist (unknown names are simply absent), or all of them, sorted by name. */
  describe(names?: readonly string[]): LocalAlarm[] {
    const all = [...this.alarms.values()].sort((a, b) => a.name.localeCompare(b.name));
    return names && names.length > 0 ? all.filter((a) => names.includes(a.name)) : all;
  }

  /** The names that do not exist; nothing is deleted unless all exist (CloudWatch's rule). */
  delete(names: readonly string[]): string[] {
    const missing = names.filter((n) => !this.alarms.has(n));
    if (missing.length === 0) for (const n of names) this.alarms.delete(n);
    return missing;
  }
}
