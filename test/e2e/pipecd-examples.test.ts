import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DescribeTaskSetsCommand, ECSClient } from '@aws-sdk/client-ecs';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { waitFor } from '../support/waits.js';

const APPS = ['canary', 'bluegreen', 'simple', 'approval', 'servicediscovery-simple', 'servicediscovery-canary'] as const;
/** Who approves each app's WAIT_APPROVAL (the approval example needs two of its three approvers). */
const APPROVERS: Partial<Record<(typeof APPS)[number], string[]>> = { canary: ['U-LEAD'], bluegreen: ['U-LEAD'], approval: ['alice', 'bob'] };
const NETWORK = { awsvpcConfiguration: { subnets: ['subnet-local-a', 'subnet-local-b'], securityGroups: ['sg-local-web'], assignPublicIp: 'DISABLED' } };

/**
 * The example apps are written as PipeCD documents ECS apps (launchType FARGATE and an awsvpc network
 * in servicedef.yaml, both service-discovery variants). Each deploys through its pipeline on the local
 * cloud, and every task set ECS reports for it, draining ones included, runs on Fargate in that network.
 */
describe('the PipeCD-style example apps through their pipelines on the local cloud', () => {
  let h: StackHarness;
  let ecs: ECSClient;
  beforeAll(async () => {
    h = await startStackHarness();
    ecs = new ECSClient(h.stack.cloud.clientConfigs.ecs);
  });
  afterAll(async () => {
    ecs?.destroy();
    await h?.stop();
  });

  const expectFargateSets = async (app: string) => {
    const sets = (await ecs.send(new DescribeTaskSetsCommand({ cluster: 'demo', service: app }))).taskSets ?? [];
    expect(sets.length, app).toBeGreaterThan(0);
    for (const set of sets) {
      expect({ app, launchType: set.launchType, platformVersion: set.platformVersion, networkConfiguration: set.networkConfiguration }).toEqual({
        app,
        launchType: 'FARGATE',
        platformVersion: 'LATEST',
        networkConfiguration: NETWORK,
      });
    }
    return sets;
  };

  it('quick-syncs every example first, each set on Fargate', async () => {
    const baseline = await h.deployBaseline(await exampleFiles([...APPS]), 'add the examples');
    expect(baseline.apps?.map((a) => a.app).sort()).toEqual([...APPS].sort());
    for (const app of APPS) await expectFargateSets(app);
  });

  it.each(APPS)('%s deploys a new image through its pipeline with the launch type on every task set', async (app) => {
    const { id, arn } = await h.deploy(await h.imageBump(app, '1.1.0'), `${app}: 1.1.0`);
    const approvers = APPROVERS[app];
    if (approvers) {
      await h.waitForStatus(id, 'WAITING_APPROVAL');
      // canary and bluegreen wait with both versions up (canary or green set, and the primary);
      // approval asks before anything new is created.
      expect((await expectFargateSets(app)).length).toBe(app === 'approval' ? 1 : 2);
      for (const user of approvers) await h.stack.approvals.approve({ deploymentId: id, user, via: 'cli', now: new Date() });
    }
    const run = await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 30_000 });
    const record = await waitFor('the final record', async () => {
      const r = await h.stack.core.history.getDeployment(id);
      return r?.status === 'SUCCESS' || r?.status === 'FAILURE' ? r : undefined;
    });
    expect({ status: run.status, record: record.status, reason: record.reason }).toEqual({ status: 'SUCCEEDED', record: 'SUCCESS', reason: undefined });
    expect(record.strategy).toBe(app.endsWith('simple') ? 'QUICK_SYNC' : 'PIPELINE');
    const sets = await expectFargateSets(app);
    expect(sets.find((s) => s.status === 'PRIMARY')?.taskDefinition).toBe(record.state?.taskDefinitionArn);
  });
});
