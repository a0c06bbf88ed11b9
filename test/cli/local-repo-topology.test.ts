import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DeploymentRecord } from '../../src/domain/deployment.js';
import { initRepo, writeAndCommit } from '../../src/local/git-repo.js';
import { json, runCli } from './support.js';
import { waitFor } from '../support/waits.js';

const PRIMARY = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-blue/73e2d6bc24d8a067';
const CANARY = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-green/0c1f4b2a9e8d7c6b';

/** A user's own app, written against their real AWS account: nothing of the examples' topology. */
const shop = {
  'services/shop/app.pipecd.yaml': `apiVersion: pipecd.dev/v1beta1
kind: ECSApp
spec:
  name: shop
  input:
    serviceDefinitionFile: servicedef.yaml
    taskDefinitionFile: taskdef.yaml
    targetGroups:
      primary: { targetGroupArn: ${PRIMARY}, containerName: app, containerPort: 8080 }
      canary: { targetGroupArn: ${CANARY}, containerName: app, containerPort: 8080 }
`,
  'services/shop/servicedef.yaml': `cluster: arn:aws:ecs:eu-west-1:123456789012:cluster/prod
serviceName: shop
desiredCount: 2
deploymentController: { type: EXTERNAL }
launchType: FARGATE
networkConfiguration: { awsvpcConfiguration: { subnets: [subnet-0abc], assignPublicIp: DISABLED } }
`,
  'services/shop/taskdef.yaml': `family: shop
networkMode: awsvpc
requiresCompatibilities: [FARGATE]
cpu: "256"
memory: "512"
containerDefinitions:
  - name: app
    image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:2.3.1
    portMappings: [{ containerPort: 8080 }]
`,
};

describe("stepcd local on the user's own repository", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('creates the cluster, target groups and listener rules the manifests name, and deploys HEAD at start', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'stepcd-local-own-'));
    dirs.push(cwd);
    const repoDir = join(cwd, 'deploys');
    await initRepo(repoDir);
    await writeAndCommit(repoDir, shop, 'shop 2.3.1');

    const controller = new AbortController();
    const running = runCli(['local', 'deploys'], { cwd, signal: controller.signal });
    try {
      const done = await waitFor(
        'shop deployed from HEAD',
        async () => {
          const r = await runCli(['deployments', 'list', '--app', 'shop', '--local', '--json'], { cwd }).catch(() => undefined);
          if (!r || r.code !== 0) return undefined;
          const [latest] = json<{ deployments: DeploymentRecord[] }>(r).deployments;
          return latest && ['SUCCESS', 'FAILURE', 'TRIGGER_FAILED'].includes(latest.status) ? latest : undefined;
        },
        { timeoutMs: 40_000, everyMs: 25 },
      );
      expect({ status: done.status, reason: done.reason }).toEqual({ status: 'SUCCESS', reason: undefined });
      expect(done.commit.message).toBe('shop 2.3.1');
    } finally {
      controller.abort();
    }
    const result = await running;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('created       ECS cluster prod');
    expect(result.stdout).toContain(`created       target group ${PRIMARY}`);
    expect(result.stdout).toContain(`created       target group ${CANARY}`);
    expect(result.stdout).toContain('created       listener rule /shop/* → primary 100 / canary 0');
    expect(result.stdout).toMatch(/deploying HEAD \w{7} \(not deployed yet: shop\)/);
    expect(result.stdout).toContain('slack secret  local-slack-signing-secret');
  }, 90_000);
});
