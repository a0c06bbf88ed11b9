/**
 * What a waiting stage waits for, small enough to store next to its task token: the ecs-events
 * function re-checks it with one describe when an event names it, without the execution's data.
 */
export type WaitTarget =
  | { kind: 'task-set'; cluster: string; service: string; taskSetId: string; startedAt: string; stableTimeoutSeconds: number }
  | { kind: 'task'; cluster: string; taskArn: string; essentialContainers: string[]; startedAt: string; timeoutSeconds: number }
  | { kind: 'alarms'; alarms: string[]; startedAt: string; durationSeconds: number }
  /** A WAIT stage: nothing but its own timeout (or a cancel) ends it, so no event key names it. */
  | { kind: 'duration'; startedAt: string; durationSeconds: number };

/** One open wait of a stage on a task token (the token never leaves DynamoDB and Step Functions). */
export interface StageWait {
  deploymentId: string;
  stageIndex: number;
  taskToken: string;
  target: WaitTarget;
  /** ISO; a later wait of the same deployment replaces an earlier one, never the reverse. */
  openedAt: string;
}

/** The last segment of an ARN (`arn:...:cluster/prod` → `prod`), or the name itself. */
function nameOf(nameOrArn: string): string {
  return nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1);
}

export const serviceKey = (cluster: string, service: string): string => `ecs-service:${nameOf(cluster)}/${nameOf(service)}`;
export const taskKey = (taskArn: string): string => `ecs-task:${nameOf(taskArn)}`;
export const alarmKey = (alarmName: string): string => `alarm:${alarmName}`;

/** The keys an event may name to wake this target. */
export function waitKeys(target: WaitTarget): string[] {
  switch (target.kind) {
    case 'task-set':
      return [serviceKey(target.cluster, target.service)];
    case 'task':
      return [taskKey(target.taskArn)];
    case 'alarms':
      return target.alarms.map(alarmKey);
    case 'duration':
      return [];
  }
}
