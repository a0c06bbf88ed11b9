import { alarmKey, serviceKey, taskKey } from '../domain/stage-wait.js';

/** An EventBridge event as a rule delivers it to a Lambda target. */
export interface CloudEvent {
  source: string;
  'detail-type': string;
  resources?: string[];
  detail: Record<string, unknown>;
}

/**
 * The ECS service events that can end a stability wait: steady states, and the scheduler's reports
 * of tasks that cannot start (the check then fails the stage with ECS's reason).
 */
const SERVICE_WAKE_EVENTS = new Set([
  'SERVICE_STEADY_STATE',
  'TASKSET_STEADY_STATE',
  'SERVICE_TASK_START_IMPAIRED',
  'SERVICE_TASK_PLACEMENT_FAILURE',
  'SERVICE_TASK_CONFIGURATION_FAILURE',
]);

/**
 * The wait keys an event names (see domain/stage-wait.ts); none for an event no wait cares about.
 * Pure. Shapes as AWS documents them: "ECS Service Action" names its service in `resources` and the
 * cluster in `detail.clusterArn`; "ECS Task State Change" carries the task, its cluster and its
 * `group` (`service:<name>` for a service's task); "CloudWatch Alarm State Change" carries
 * `detail.alarmName` and `detail.state.value`.
 */
export function eventKeys(event: CloudEvent): string[] {
  const { detail } = event;
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  switch (event['detail-type']) {
    case 'ECS Service Action': {
      const cluster = text(detail.clusterArn);
      if (!cluster || !SERVICE_WAKE_EVENTS.has(text(detail.eventName) ?? '')) return [];
      return (event.resources ?? []).filter((arn) => arn.includes(':service/')).map((arn) => serviceKey(cluster, arn));
    }
    case 'ECS Task State Change': {
      const cluster = text(detail.clusterArn);
      const taskArn = text(detail.taskArn);
      if (!cluster || !taskArn || detail.lastStatus !== 'STOPPED') return [];
      const group = text(detail.group);
      const service = group?.startsWith('service:') ? group.slice('service:'.length) : undefined;
      return [taskKey(taskArn), ...(service ? [serviceKey(cluster, service)] : [])];
    }
    case 'CloudWatch Alarm State Change': {
      const name = text(detail.alarmName);
      const state = (detail.state ?? {}) as { value?: unknown };
      return name && state.value === 'ALARM' ? [alarmKey(name)] : [];
    }
    default:
      return [];
  }
}
