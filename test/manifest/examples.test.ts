import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadApp, verifyApp } from '../../src/manifest/index.js';
import { exampleManifests } from '../support/examples.js';

const examples = exampleManifests();

/** The local cloud's emulator derives target group ids from the name this way. */
function tgArn(name: string): string {
  const id = createHash('sha256').update(name).digest('hex').slice(0, 16);
  return `arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/${name}/${id}`;
}

const ALL_EXAMPLES = ['canary', 'bluegreen', 'simple', 'approval', 'servicediscovery-simple', 'servicediscovery-canary'];

describe('examples/apps', () => {
  it.each([
    ['canary', ['ECS_CANARY_ROLLOUT', 'ECS_TRAFFIC_ROUTING', 'WAIT_APPROVAL', 'ECS_PRIMARY_ROLLOUT', 'ECS_TRAFFIC_ROUTING', 'ECS_CANARY_CLEAN'], 4],
    ['bluegreen', ['ECS_CANARY_ROLLOUT', 'ECS_TRAFFIC_ROUTING', 'WAIT_APPROVAL', 'ECS_PRIMARY_ROLLOUT', 'ECS_TRAFFIC_ROUTING', 'ECS_CANARY_CLEAN'], 2],
    ['simple', [], 2],
    ['approval', ['WAIT', 'WAIT_APPROVAL', 'ECS_PRIMARY_ROLLOUT'], 2],
  ])('%s loads with no errors or warnings on the demo topology', async (name, stageNames, desiredCount) => {
    const result = await loadApp(examples, `apps/${name}/app.pipecd.yaml`);
    if (!result.ok) throw new Error(JSON.stringify(result.issues, null, 2));
    expect(result.warnings).toEqual([]);
    const { app } = result;
    expect(app.name).toBe(name);
    expect(app.stages.map((s) => s.name)).toEqual(stageNames);
    expect(app.serviceDefinition).toMatchObject({ cluster: 'demo', serviceName: name, desiredCount, deploymentController: { type: 'EXTERNAL' } });
    expect(app.targetGroups.primary).toEqual({ targetGroupArn: tgArn(`${name}-primary`), containerName: 'web', containerPort: 80 });
    if (app.targetGroups.canary) expect(app.targetGroups.canary.targetGroupArn).toBe(tgArn(`${name}-canary`));
    expect(app.taskDefinition).toMatchObject({ family: name, containerDefinitions: [{ name: 'web', image: `registry.example.com/${name}:1.0.0` }] });
  });

  it('canary and blue/green split traffic as documented', async () => {
    const canary = await loadApp(examples, 'apps/canary/app.pipecd.yaml');
    const bluegreen = await loadApp(examples, 'apps/bluegreen/app.pipecd.yaml');
    expect(canary.ok && canary.app.stages.slice(0, 2).map((s) => s.with)).toEqual([
      { scale: 30, stableTimeoutSeconds: 600 },
      { primary: 80, canary: 20 },
    ]);
    expect(bluegreen.ok && bluegreen.app.stages.slice(0, 2).map((s) => s.with)).toEqual([
      { scale: 100, stableTimeoutSeconds: 600 },
      { primary: 0, canary: 100 },
    ]);
  });

  it('approval asks two of three approvers and mentions them', async () => {
    const result = await loadApp(examples, 'apps/approval/app.pipecd.yaml');
    if (!result.ok) throw new Error('expected ok');
    expect(result.app.stages[1]).toEqual({
      index: 1,
      name: 'WAIT_APPROVAL',
      with: { approvers: ['alice', 'bob', 'carol'], minApproverNum: 2, timeoutSeconds: 3600 },
    });
    expect(result.app.mentions.map((m) => m.event)).toEqual(['DEPLOYMENT_WAIT_APPROVAL', 'DEPLOYMENT_FAILED']);
    expect(result.app.slackChannel).toBe('#deploys');
  });

  it.each([
    ['servicediscovery-simple', []],
    ['servicediscovery-canary', ['ECS_CANARY_ROLLOUT', 'ECS_PRIMARY_ROLLOUT', 'ECS_CANARY_CLEAN']],
  ])('%s (PipeCD service discovery variant) loads with no target groups and its registry', async (name, stageNames) => {
    const result = await loadApp(examples, `apps/${name}/app.pipecd.yaml`);
    if (!result.ok) throw new Error(JSON.stringify(result.issues, null, 2));
    expect(result.warnings).toEqual([]);
    expect(result.app.accessType).toBe('SERVICE_DISCOVERY');
    expect(result.app.targetGroups).toEqual({});
    expect(result.app.stages.map((s) => s.name)).toEqual(stageNames);
    expect(result.app.serviceDefinition.serviceRegistries).toEqual([{ registryArn: `arn:aws:servicediscovery:us-east-1:000000000000:service/srv-${name}` }]);
  });

  it('every example sets the Fargate launch type and awsvpc network configuration in its service definition, as PipeCD documents', async () => {
    for (const name of ALL_EXAMPLES) {
      const result = await loadApp(examples, `apps/${name}/app.pipecd.yaml`);
      if (!result.ok) throw new Error(JSON.stringify(result.issues, null, 2));
      expect(result.app.serviceDefinition).toMatchObject({
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-local-a', 'subnet-local-b'], assignPublicIp: 'DISABLED' } },
      });
    }
  });

  it('every check of `stepcd validate` is OK for every example, under the local stack allowlist', async () => {
    for (const name of ALL_EXAMPLES) {
      // `stepcd local` lets anyone approve (approvers ['*']), which the canary and blue/green examples rely on.
      const rows = await verifyApp(examples, `apps/${name}/app.pipecd.yaml`, { stackApprovers: ['*'] });
      expect(rows.map((r) => `${r.app} ${r.check} ${r.status}`)).toEqual(
        ['app config', 'service definition', 'task definition', 'image policy', 'target groups', 'pipeline'].map((c) => `${name} ${c} OK`),
      );
    }
  });
});
