import { describe, expect, it } from 'vitest';
import type { RecordedCall } from '../../src/local/call-recorder.js';
import { iamRequestsFor } from './support/iam-requests.js';

const WHERE = { partition: 'aws', region: 'us-east-1', account: '000000000000' };
const A = 'arn:aws:ecs:us-east-1:000000000000';
const RULE = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:listener-rule/app/demo-alb/1a2b/3c4d/5e6f';

async function translate(call: Omit<RecordedCall, 'principal'>) {
  return (await iamRequestsFor({ principal: 'stage', ...call }, WHERE)).map(({ action, resource, context }) => ({ action, resource, context }));
}

describe('Recorded call → IAM requests, as the Service Authorization Reference describes them', () => {
  it.each<[string, Omit<RecordedCall, 'principal'>, Array<{ action: string; resource: string; context: Record<string, string> }>]>([
    [
      'success: ModifyRule acts on the listener-rule ARN the request names',
      {
        service: 'elasticloadbalancing',
        operation: 'ModifyRule',
        input: {
          Action: 'ModifyRule',
          RuleArn: RULE,
          'Actions.member.1.ForwardConfig.TargetGroups.member.1.TargetGroupArn': 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/p/1',
        },
      },
      [{ action: 'elasticloadbalancing:ModifyRule', resource: RULE, context: {} }],
    ],
    [
      'success: an action without resource types is authorised on *',
      {
        service: 'elasticloadbalancing',
        operation: 'DescribeListeners',
        input: { Action: 'DescribeListeners', LoadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:loadbalancer/app/demo-alb/1a2b' },
      },
      [{ action: 'elasticloadbalancing:DescribeListeners', resource: '*', context: {} }],
    ],
    [
      'success: SendTaskSuccess is authorised on *, whatever the token',
      { service: 'states', operation: 'SendTaskSuccess', input: { taskToken: 'token', output: '{}' } },
      [{ action: 'states:SendTaskSuccess', resource: '*', context: {} }],
    ],
    [
      'success: Query on an index needs the table and the index',
      { service: 'dynamodb', operation: 'Query', input: { TableName: 'stepcd', IndexName: 'GSI1', KeyConditionExpression: 'x' } },
      [
        { action: 'dynamodb:Query', resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/stepcd/index/GSI1', context: {} },
        { action: 'dynamodb:Query', resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/stepcd', context: {} },
      ],
    ],
    [
      "success: ListTasks acts on the cluster's container instances, with ecs:cluster",
      { service: 'ecs', operation: 'ListTasks', input: { cluster: 'demo', serviceName: 'web' } },
      [{ action: 'ecs:ListTasks', resource: `${A}:container-instance/demo/*`, context: { 'ecs:cluster': `${A}:cluster/demo` } }],
    ],
    [
      'success: a task definition with roles passes each to ECS tasks, and its tags are a TagResource',
      {
        service: 'ecs',
        operation: 'RegisterTaskDefinition',
        input: {
          family: 'web',
          taskRoleArn: 'arn:aws:iam::000000000000:role/t',
          executionRoleArn: 'arn:aws:iam::000000000000:role/e',
          tags: [{ key: 'stepcd:app', value: 'web' }],
        },
      },
      [
        { action: 'ecs:RegisterTaskDefinition', resource: `${A}:task-definition/web:*`, context: {} },
        { action: 'iam:PassRole', resource: 'arn:aws:iam::000000000000:role/t', context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        { action: 'iam:PassRole', resource: 'arn:aws:iam::000000000000:role/e', context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        { action: 'ecs:TagResource', resource: `${A}:task-definition/web:*`, context: { 'ecs:CreateAction': 'RegisterTaskDefinition' } },
      ],
    ],
    [
      'success: the state machine invoking a function is lambda:InvokeFunction on its ARN',
      { service: 'lambda', operation: 'Invoke', input: { FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:stage' } },
      [{ action: 'lambda:InvokeFunction', resource: 'arn:aws:lambda:us-east-1:000000000000:function:stage', context: {} }],
    ],
    ['success: GetCallerIdentity needs no permission', { service: 'sts', operation: 'GetCallerIdentity', input: {} }, []],
  ])('%s', async (_, call, expected) => {
    expect(await translate(call)).toEqual(expected);
  });

  it('fail: a role passed in a field it does not know about is an error, not a silent pass', async () => {
    await expect(
      translate({
        service: 'ecs',
        operation: 'CreateService',
        input: { cluster: 'demo', serviceName: 'web', serviceRoleArn: 'arn:aws:iam::000000000000:role/x' },
      }),
    ).rejects.toThrow(/passes a role in serviceRoleArn/);
  });

  it('fail: an operation with no IAM action in the data is an error', async () => {
    await expect(translate({ service: 'ecs', operation: 'NoSuchOperation', input: {} })).rejects.toThrow(/has no IAM action/);
  });

  it('fail: a resource the request does not name is an error (a resolver is missing)', async () => {
    await expect(translate({ service: 'states', operation: 'StopExecution', input: {} })).rejects.toThrow(/cannot tell the resource/);
  });
});
