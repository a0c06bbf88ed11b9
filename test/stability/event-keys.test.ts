import { describe, expect, it } from 'vitest';
import { eventKeys, type CloudEvent } from '../../src/stability/event-keys.js';

const CLUSTER = 'arn:aws:ecs:us-east-1:111122223333:cluster/prod';
const SERVICE = 'arn:aws:ecs:us-east-1:111122223333:service/prod/web';
const TASK = 'arn:aws:ecs:us-east-1:111122223333:task/prod/0123456789abcdef';

const serviceAction = (eventName: string): CloudEvent => ({
  source: 'aws.ecs',
  'detail-type': 'ECS Service Action',
  resources: [SERVICE],
  detail: { eventType: 'INFO', eventName, clusterArn: CLUSTER, createdAt: '2026-01-01T00:00:00Z' },
});

const taskChange = (lastStatus: string, group = 'service:web'): CloudEvent => ({
  source: 'aws.ecs',
  'detail-type': 'ECS Task State Change',
  resources: [TASK],
  detail: { clusterArn: CLUSTER, taskArn: TASK, group, lastStatus, stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' },
});

const alarm = (value: string): CloudEvent => ({
  source: 'aws.cloudwatch',
  'detail-type': 'CloudWatch Alarm State Change',
  resources: ['arn:aws:cloudwatch:us-east-1:111122223333:alarm:web-5xx'],
  detail: { alarmName: 'web-5xx', state: { value, reason: 'Threshold Crossed' }, previousState: { value: 'OK' } },
});

describe('eventKeys', () => {
  it.each<[string, CloudEvent, string[]]>([
    ['success: TASKSET_STEADY_STATE names the service', serviceAction('TASKSET_STEADY_STATE'), ['ecs-service:prod/web']],
    ['success: SERVICE_STEADY_STATE names the service', serviceAction('SERVICE_STEADY_STATE'), ['ecs-service:prod/web']],
    ['success: SERVICE_TASK_START_IMPAIRED wakes the wait to fail it', serviceAction('SERVICE_TASK_START_IMPAIRED'), ['ecs-service:prod/web']],
    ['success: a service task STOPPED names the task and its service', taskChange('STOPPED'), ['ecs-task:0123456789abcdef', 'ecs-service:prod/web']],
    ['success: a one-off task STOPPED names the task only', taskChange('STOPPED', 'family:migrate'), ['ecs-task:0123456789abcdef']],
    ['success: an alarm going to ALARM names the alarm', alarm('ALARM'), ['alarm:web-5xx']],
    ['fail: a task still RUNNING names nothing', taskChange('RUNNING'), []],
    ['fail: an alarm back to OK names nothing', alarm('OK'), []],
    ['fail: SERVICE_DESIRED_COUNT_UPDATED names nothing', serviceAction('SERVICE_DESIRED_COUNT_UPDATED'), []],
    ['fail: another detail-type names nothing', { source: 'aws.ecs', 'detail-type': 'ECS Deployment State Change', detail: {} }, []],
  ])('%s', (_, event, keys) => {
    expect(eventKeys(event)).toEqual(keys);
  });
});
