import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import {
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  type Action,
  type ElasticLoadBalancingV2ClientResolvedConfig,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateServiceCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { createElbAdapter, withWeights } from '../../src/aws/elbv2.js';
import { classifyEcsError } from '../../src/aws/ecs.js';
import { ErrorName } from '../../src/errors.js';
import { startStage } from '../../src/stages/index.js';
import { emptyDeploymentState } from '../../src/domain/deployment.js';
import { buildPlan, stage, stageInput } from '../support/stage-fixtures.js';
import { CLUSTER, startStageWorld, type StageWorld } from '../support/stacks/stage-world.js';

const P = 'arn:tg/primary';
const C = 'arn:tg/canary';
const pair = (p: number, c: number): Action => ({
  Type: 'forward',
  Order: 2,
  ForwardConfig: {
    TargetGroups: [
      { TargetGroupArn: P, Weight: p },
      { TargetGroupArn: C, Weight: c },
    ],
    TargetGroupStickinessConfig: { Enabled: true, DurationSeconds: 300 },
  },
});

describe('withWeights', () => {
  it('rewrites only the pair forward action and keeps stickiness, order and other actions', () => {
    const auth: Action = { Type: 'authenticate-oidc', Order: 1 };
    const next = withWeights([auth, pair(100, 0)], { primary: P, canary: C }, { primary: 70, canary: 30 });
    expect(next).toEqual([auth, pair(70, 30)]);
  });

  it('refuses an action list without the pair', () => {
    expect(withWeights([{ Type: 'forward', TargetGroupArn: P }], { primary: P, canary: C }, { primary: 0, canary: 100 })).toBeUndefined();
  });
});

describe('ELBv2 adapter: findForwardRules', () => {
  // mockClient patches every client of the class, so it is undone before the local-cloud tests below.
  let elb: AwsStub<ServiceInputTypes, ServiceOutputTypes, ElasticLoadBalancingV2ClientResolvedConfig>;
  beforeEach(() => {
    elb = mockClient(ElasticLoadBalancingV2Client);
  });
  afterEach(() => elb.restore());

  it('follows DescribeListeners and DescribeRules markers and keeps only rules forwarding to exactly the pair', async () => {
    elb.on(DescribeTargetGroupsCommand).resolves({ TargetGroups: [{ TargetGroupArn: P, LoadBalancerArns: ['lb'] }] });
    elb.on(DescribeListenersCommand, { LoadBalancerArn: 'lb', Marker: undefined }).resolves({ Listeners: [{ ListenerArn: 'l1' }], NextMarker: 'm1' });
    elb.on(DescribeListenersCommand, { LoadBalancerArn: 'lb', Marker: 'm1' }).resolves({ Listeners: [{ ListenerArn: 'l2' }] });
    elb
      .on(DescribeRulesCommand, { ListenerArn: 'l1', Marker: undefined })
      .resolves({ Rules: [{ RuleArn: 'r-default-1', IsDefault: true, Actions: [pair(100, 0)] }], NextMarker: 'm2' });
    elb
      .on(DescribeRulesCommand, { ListenerArn: 'l1', Marker: 'm2' })
      .resolves({ Rules: [{ RuleArn: 'r-primary-only', Actions: [{ Type: 'forward', TargetGroupArn: P }] }] });
    elb
      .on(DescribeRulesCommand, { ListenerArn: 'l2', Marker: undefined })
      .resolves({ Rules: [{ RuleArn: 'r-api-2', IsDefault: false, Actions: [pair(90, 10)] }] });

    const rules = await createElbAdapter(
      new ElasticLoadBalancingV2Client({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
    ).findForwardRules(P, C);

    expect(rules).toEqual([
      {
        ruleArn: 'r-default-1',
        listenerArn: 'l1',
        isDefault: true,
        weights: { primary: 100, canary: 0 },
        stickiness: { enabled: true, durationSeconds: 300 },
        actions: [pair(100, 0)],
      },
      {
        ruleArn: 'r-api-2',
        listenerArn: 'l2',
        isDefault: false,
        weights: { primary: 90, canary: 10 },
        stickiness: { enabled: true, durationSeconds: 300 },
        actions: [pair(90, 10)],
      },
    ]);
  });
});

describe('classifyEcsError', () => {
  const sdkError = (name: string, message: string, status = 400) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
  it.each([
    [
      'InvalidParameterException',
      '5 deployments exist on the service. Unable to create new TaskSet since this exceeds the maximum limit.',
      400,
      ErrorName.TooManyTaskSets,
    ],
    [
      'InvalidParameterException',
      'Amazon ECS only supports task set management on services configured to use external deployment controllers.',
      400,
      ErrorName.NotExternal,
    ],
    ['ThrottlingException', 'Rate exceeded', 400, ErrorName.Throttled],
    ['ServerException', 'Service Unavailable', 500, ErrorName.Transient],
    ['ClusterNotFoundException', 'Cluster not found.', 400, ErrorName.AwsError],
  ])('maps %s "%s" to the right stepcd error', (name, message, status, expected) => {
    const err = sdkError(name, message, status);
    const wrapped = classifyEcsError('creating task set', err);
    expect(wrapped.name).toBe(expected);
    expect(wrapped.cause).toBe(err);
  });
});

describe('ECS adapter against the local cloud', () => {
  let world: StageWorld;
  beforeEach(async () => {
    world = await startStageWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  it('refuses a service that does not use the EXTERNAL controller', async () => {
    const td = await world.ecs.send(new RegisterTaskDefinitionCommand({ family: 'web', containerDefinitions: [{ name: 'web', image: 'acme/web:v0' }] }));
    await world.ecs.send(
      new CreateServiceCommand({ cluster: CLUSTER, serviceName: 'web', taskDefinition: td.taskDefinition!.taskDefinitionArn!, desiredCount: 1 }),
    );
    const plan = buildPlan(world, { deploymentId: 'd1', image: 'acme/web:v1', stages: [stage.sync()] });

    await expect(startStage(stageInput(world, plan, 0, emptyDeploymentState()), world.ports)).rejects.toMatchObject({ name: ErrorName.NotExternal });
  });

  it('names the task set limit as stepcd.TooManyTaskSets', async () => {
    const plan = buildPlan(world, {
      deploymentId: 'd1',
      image: 'acme/web:v1',
      stages: [stage.canary(10), stage.canary(10), stage.canary(10), stage.canary(10), stage.canary(10), stage.canary(10)],
    });
    let state = emptyDeploymentState();
    for (let i = 0; i < 5; i += 1) state = (await startStage(stageInput(world, plan, i, state), world.ports)).state;

    await expect(startStage(stageInput(world, plan, 5, state), world.ports)).rejects.toMatchObject({ name: ErrorName.TooManyTaskSets });
    expect(state.createdTaskSetIds).toHaveLength(5);
  });
});
