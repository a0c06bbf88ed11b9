import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CreateClusterCommand, DescribeClustersCommand, ECSClient } from '@aws-sdk/client-ecs';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreateStateMachineCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ManualClock } from '../../src/local/clock.js';
import { startLocalCloud, type LocalCloud } from '../../src/local/cloud.js';

describe('startLocalCloud', () => {
  let cloud: LocalCloud;
  const savedEndpoint = process.env.AWS_ENDPOINT_URL;
  beforeEach(() => {
    // A stray endpoint in the environment must not redirect any local client.
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
  });
  afterEach(async () => {
    await cloud?.stop();
    if (savedEndpoint === undefined) delete process.env.AWS_ENDPOINT_URL;
    else process.env.AWS_ENDPOINT_URL = savedEndpoint;
  });

  it('serves ECS, ELBv2, SFN, EventBridge and DynamoDB from one call, even with AWS_ENDPOINT_URL set', async () => {
    const clock = new ManualClock();
    cloud = await startLocalCloud({ clock, waitMs: 1 });
    const ecs = new ECSClient(cloud.clientConfigs.ecs);
    const elb = new ElasticLoadBalancingV2Client(cloud.clientConfigs.elbv2);
    const sfn = new SFNClient(cloud.clientConfigs.sfn);
    const events = new EventBridgeClient(cloud.clientConfigs.events);
    const dynamo = new DynamoDBClient(cloud.clientConfigs.dynamodb);
    try {
      // A workflow whose function talks to the emulated ECS through the same port, after a 5-minute Wait.
      cloud.sfn.registerFunction('makeCluster', async (event) => {
        const name = (event as { cluster: string }).cluster;
        await ecs.send(new CreateClusterCommand({ clusterName: name }));
        return { at: cloud.clock.now() };
      });
      const { stateMachineArn } = await sfn.send(
        new CreateStateMachineCommand({
          name: 'smoke',
          roleArn: 'arn:aws:iam::000000000000:role/sfn',
          definition: JSON.stringify({
            StartAt: 'Pause',
            States: {
              Pause: { Type: 'Wait', Seconds: 300, Next: 'Make' },
              Make: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'makeCluster', 'Payload.$': '$' }, End: true },
            },
          }),
        }),
      );
      const startedAt = clock.now();
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{"cluster":"demo"}' }));
      const done = await cloud.sfn.waitForExecution(executionArn!);
      await events.send(
        new PutEventsCommand({ Entries: [{ Source: 'stepcd', DetailType: 'DEPLOYMENT_SUCCEEDED', Detail: '{}', EventBusName: cloud.eventBusName }] }),
      );
      const clusters = await ecs.send(new DescribeClustersCommand({ clusters: ['demo'] }));
      const lbs = await elb.send(new DescribeLoadBalancersCommand({}));
      const table = await dynamo.send(new DescribeTableCommand({ TableName: cloud.tableName }));
      await cloud.events.drain();

      expect(done.status).toBe('SUCCEEDED');
      expect(JSON.parse(done.output!).Payload.at).toBe(startedAt + 300_000);
      expect(clusters.clusters?.map((c) => c.clusterName)).toEqual(['demo']);
      expect(lbs.LoadBalancers).toEqual([]);
      expect(table.Table?.TableName).toBe(cloud.tableName);
      expect(cloud.events.find({ eventBusName: ['stepcd'] }).map((e) => e.detailType)).toEqual(['DEPLOYMENT_SUCCEEDED']);
      expect(cloud.events.find({ source: ['aws.states'] }).map((e) => (e.detail as { status: string }).status)).toEqual(['SUCCEEDED']);
      expect(cloud.emulator.calls).toBeDefined();
    } finally {
      for (const c of [ecs, elb, sfn, events, dynamo]) c.destroy();
    }
  });

  it('stops running executions and closes its ports when stopped, twice without harm', async () => {
    cloud = await startLocalCloud({ clock: new ManualClock() });
    cloud.sfn.registerFunction('hold', async () => ({}));
    const { stateMachineArn } = cloud.sfn.createStateMachine({
      name: 'held',
      definition: {
        StartAt: 'Gate',
        States: {
          Gate: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
            Parameters: { FunctionName: 'hold', Payload: { 'token.$': '$$.Task.Token' } },
            TimeoutSeconds: 3600,
            End: true,
          },
        },
      },
    });
    const { executionArn } = cloud.sfn.startExecution({ stateMachineArn });
    await cloud.stop();
    await cloud.stop();
    expect(cloud.sfn.describeExecution(executionArn).status).toBe('ABORTED');
    expect(cloud.sfn.listOpenTokens()).toEqual([]);
    await expect(fetch(cloud.url, { method: 'POST' })).rejects.toThrow();
  });
});
