import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../../src/aws/client-config.js';
import { functionEventRules, SERVERLESS_FILE } from '../../src/local/serverless-rules.js';

const VARS = { stateMachineName: 'sm', eventBusName: 'stepcd-bus' };
const SM_ARN = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:sm`;

describe("serverless.yml's EventBridge rules, as the local stack subscribes them", () => {
  it('reads every rule pointed at a function, from its events and from AWS::Events::Rule resources', async () => {
    const rules = functionEventRules(await readFile(SERVERLESS_FILE, 'utf8'), VARS);
    expect(Object.keys(rules).sort()).toEqual(['ecs-events', 'finaliser', 'github-deployments']);
    expect(rules.finaliser).toEqual([
      {
        eventBusName: 'default',
        pattern: {
          source: ['aws.states'],
          'detail-type': ['Step Functions Execution Status Change'],
          detail: { stateMachineArn: [SM_ARN], status: ['FAILED', 'TIMED_OUT', 'ABORTED'] },
        },
      },
    ]);
    const mirror = rules['github-deployments']!;
    expect(mirror.map((r) => r.eventBusName).sort()).toEqual(['default', 'stepcd-bus']);
    expect(mirror.find((r) => r.eventBusName === 'default')?.pattern.detail).toEqual({
      stateMachineArn: [SM_ARN],
      status: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'],
    });
    const ecs = rules['ecs-events']!;
    expect(ecs.every((r) => r.eventBusName === 'default')).toBe(true);
    expect(
      ecs
        .map((r) => r.pattern['detail-type'])
        .flat()
        .sort(),
    ).toEqual(['CloudWatch Alarm State Change', 'ECS Service Action', 'ECS Task State Change']);
  });

  const yml = (pattern: string, extra = '') => `
functions:
  my-fn:
    handler: functions/x/handler.handler
    events:
      - eventBridge:
          pattern:
${pattern}
${extra}`;

  it('resolves a stack variable, and refuses one it has no value for or a pattern AWS refuses', () => {
    const ok = functionEventRules(yml('            detail:\n              arn: [!Sub "arn:${AWS::Partition}:x:${AWS::AccountId}"]'), VARS);
    expect(ok['my-fn']).toEqual([{ eventBusName: 'default', pattern: { detail: { arn: [`arn:aws:x:${LOCAL_ACCOUNT}`] } } }]);
    expect(() => functionEventRules(yml('            source: [!Sub "${param:nope}"]'), VARS)).toThrow(/no value for \$\{param:nope\}/);
    expect(() => functionEventRules(yml('            source: aws.ecs'), VARS)).toThrow(/must be an array/);
  });

  it('follows a rule resource to its function by the logical id the Serverless Framework gives it', () => {
    const resources = `
resources:
  Resources:
    MyRule:
      Type: AWS::Events::Rule
      Properties:
        EventBusName: !Ref EventBus
        EventPattern:
          source: [stepcd]
        Targets:
          - Id: mine
            Arn: !GetAtt MyDashfnLambdaFunction.Arn
    OffRule:
      Type: AWS::Events::Rule
      Properties:
        State: DISABLED
        EventPattern:
          source: [off]
        Targets:
          - Id: mine
            Arn: !GetAtt MyDashfnLambdaFunction.Arn`;
    const rules = functionEventRules(yml('            source: [aws.ecs]', resources), VARS);
    expect(rules['my-fn']).toEqual([
      { eventBusName: 'default', pattern: { source: ['aws.ecs'] } },
      { eventBusName: 'stepcd-bus', pattern: { source: ['stepcd'] } },
    ]);
  });
});
