import { describe, expect, it } from 'vitest';
import { ErrorName, InvalidManifestError } from '../../src/errors.js';
import { MAX_PLAN_BYTES } from '../../src/domain/plan.js';
import { loadApp, type AppManifest } from '../../src/manifest/index.js';
import { exampleManifests } from '../support/examples.js';
import { buildPlan, deploymentIdFor } from '../../src/plan/index.js';

const examples = exampleManifests();
const commit = { sha: 'abcdef0123456789abcdef0123456789abcdef01', message: 'Bump web', author: 'alice' };
const now = new Date('2026-01-02T03:04:05.000Z');

async function example(name: string): Promise<AppManifest> {
  const result = await loadApp(examples, `apps/${name}/app.pipecd.yaml`);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.app;
}

describe('buildPlan', () => {
  it('success: an existing service runs the pipeline with everything resolved', async () => {
    const app = await example('canary');
    const plan = buildPlan({ app, repo: 'acme/deploys', commit, trigger: { kind: 'push', delivery: 'x-1' }, serviceExists: true, now });
    expect(plan).toMatchObject({
      deploymentId: deploymentIdFor({ repo: 'acme/deploys', configPath: 'apps/canary/app.pipecd.yaml', sha: commit.sha }),
      app: { name: 'canary', dir: 'apps/canary', labels: { env: 'dev', team: 'demo' }, repo: 'acme/deploys' },
      commit,
      trigger: { kind: 'push', delivery: 'x-1' },
      strategy: 'PIPELINE',
      serviceDefinition: { cluster: 'demo', serviceName: 'canary' },
      taskDefinition: { family: 'canary' },
      accessType: 'ELB',
      options: { autoRollback: true, timeoutSeconds: 21600, mentions: [], pollIntervalSeconds: 15 },
      createdAt: '2026-01-02T03:04:05.000Z',
    });
    expect(plan.executionName).toMatch(/^canary-abcdef0-[0-9a-f]{8}$/);
    expect(plan.stages).toEqual(app.stages);
    expect(plan.targetGroups).toEqual(app.targetGroups);
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });

  it('success: a first deployment quick-syncs with one ECS_SYNC stage', async () => {
    const plan = buildPlan({ app: await example('canary'), repo: 'acme/deploys', commit, trigger: { kind: 'push' }, serviceExists: false, now });
    expect(plan.strategy).toBe('QUICK_SYNC');
    expect(plan.stages).toEqual([{ index: 0, name: 'ECS_SYNC', desc: 'Quick sync', with: { stableTimeoutSeconds: 600 } }]);
  });

  it('success: an app without a pipeline always quick-syncs', async () => {
    const plan = buildPlan({ app: await example('simple'), repo: 'acme/deploys', commit, trigger: { kind: 'cli' }, serviceExists: true, now });
    expect(plan.strategy).toBe('QUICK_SYNC');
    expect(plan.stages.map((s) => s.name)).toEqual(['ECS_SYNC']);
  });

  it('success: carries notification options and a salt changes the deployment id', async () => {
    const app = await example('approval');
    const base = { app, repo: 'acme/deploys', commit, trigger: { kind: 'cli' as const }, serviceExists: true, now };
    const plan = buildPlan(base);
    expect(plan.options.slackChannel).toBe('#deploys');
    expect(plan.options.mentions).toHaveLength(2);
    expect(buildPlan({ ...base, salt: 'again' }).deploymentId).not.toBe(plan.deploymentId);
    expect(buildPlan(base)).toEqual(plan);
  });

  it('fail: refuses a plan over the size limit with an InvalidManifest issue', async () => {
    const app = await example('simple');
    const huge = { ...app, taskDefinition: { ...app.taskDefinition, padding: 'x'.repeat(MAX_PLAN_BYTES) } };
    let caught: unknown;
    try {
      buildPlan({ app: huge, repo: 'acme/deploys', commit, trigger: { kind: 'push' }, serviceExists: true, now });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(InvalidManifestError);
    const error = caught as InvalidManifestError;
    expect(error.name).toBe(ErrorName.InvalidManifest);
    expect(error.issues[0]?.file).toBe('apps/simple/app.pipecd.yaml');
    expect(error.message).toMatch(/^apps\/simple\/app\.pipecd\.yaml: makes a deployment plan of \d+ bytes, over the 204800-byte limit/);
  });
});
