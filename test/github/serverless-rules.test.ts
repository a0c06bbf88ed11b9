import { beforeAll, describe, expect, it } from 'vitest';
import { packageOffline } from '../deploy/support/package-offline.js';
import { props, render, resourcesOfType, type CfnTemplate } from '../deploy/support/template.js';

const STAGE = 'ci';

/** What feeds the github-deployments function in the packaged template. */
describe('serverless.yml: the GitHub Deployments mirror', () => {
  let template: CfnTemplate;
  let functionId: string;

  beforeAll(async () => {
    template = (await packageOffline(STAGE)).template;
    const fn = resourcesOfType(template, 'AWS::Lambda::Function').find(([, r]) => props(r).FunctionName === `stepcd-${STAGE}-github-deployments`);
    functionId = fn![0];
  }, 120_000);

  const rulesTargeting = () =>
    resourcesOfType(template, 'AWS::Events::Rule').filter(([, r]) => {
      const targets = props(r).Targets as unknown;
      // The E2E example's targets are an Fn::If; this function's rules list theirs plainly.
      return Array.isArray(targets) && targets.some((t: { Arn: unknown }) => render(t.Arn) === `<GetAtt ${functionId}.Arn>`);
    });

  it("subscribes to stepcd's deployment events on the stepcd bus, not to stage events", () => {
    const [[, rule] = []] = rulesTargeting().filter(([, r]) => props(r).EventBusName !== undefined);
    expect(render(props(rule!).EventBusName)).toBe('<Ref EventBus>');
    const pattern = props(rule!).EventPattern as { source: string[]; 'detail-type': string[] };
    expect(pattern.source).toEqual(['stepcd']);
    expect(pattern['detail-type']).toContain('DEPLOYMENT_TRIGGERED');
    expect(pattern['detail-type']).toContain('DEPLOYMENT_CANCELLED');
    expect(pattern['detail-type'].some((t) => t.startsWith('STAGE_'))).toBe(false);
  });

  it("subscribes to the end of this state machine's executions on the default bus", () => {
    const [[, rule] = []] = rulesTargeting().filter(([, r]) => props(r).EventBusName === undefined);
    const pattern = props(rule!).EventPattern as { source: string[]; detail: { stateMachineArn: unknown[]; status: string[] } };
    expect(pattern.source).toEqual(['aws.states']);
    expect(render(pattern.detail.stateMachineArn[0])).toBe(`arn:aws:states:us-east-1:123456789012:stateMachine:stepcd-${STAGE}-deployment`);
    expect(pattern.detail.status.sort()).toEqual(['ABORTED', 'FAILED', 'SUCCEEDED', 'TIMED_OUT']);
  });

  it('lets EventBridge invoke the function from exactly those two rules', () => {
    const rules = rulesTargeting()
      .map(([id]) => id)
      .sort();
    expect(rules).toHaveLength(2);
    const permissions = resourcesOfType(template, 'AWS::Lambda::Permission').filter(([, p]) => render(props(p).FunctionName) === `<GetAtt ${functionId}.Arn>`);
    expect(permissions.map(([, p]) => props(p).Principal)).toEqual(['events.amazonaws.com', 'events.amazonaws.com']);
    expect(permissions.map(([, p]) => render(props(p).SourceArn)).sort()).toEqual(rules.map((id) => `<GetAtt ${id}.Arn>`));
  });
});
