import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/manifest/issues.js';
import { loadApp } from '../../src/manifest/index.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { planApp } from '../../src/plan/preview.js';
import { CANARY_ARN, memoryFiles } from './fixtures.js';

const CLUSTER = 'arn:aws:ecs:us-east-1:000000000000:cluster/demo';

/** A PipeCD standalone-task app (a migration job): a task definition and no service definition. */
function standaloneApp() {
  return {
    config: {
      apiVersion: 'pipecd.dev/v1beta1',
      kind: 'ECSApp',
      spec: {
        name: 'migrate',
        input: {
          taskDefinitionFile: 'taskdef.yaml',
          clusterArn: CLUSTER,
          launchType: 'FARGATE',
          awsvpcConfiguration: { subnets: ['subnet-local-a'], securityGroups: ['sg-local-web'], assignPublicIp: 'DISABLED' },
        },
      } as Record<string, any>,
    },
    task: {
      family: 'migrate',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      containerDefinitions: [{ name: 'migrate', image: 'registry.example.com/migrate:1.0.0', essential: true }],
    },
  };
}

async function load(mutate: (app: ReturnType<typeof standaloneApp>) => void = () => {}) {
  const app = standaloneApp();
  mutate(app);
  const result = await loadApp(memoryFiles({ 'app.pipecd.yaml': app.config, 'taskdef.yaml': app.task }), 'app.pipecd.yaml');
  const issues = result.ok ? result.warnings : result.issues;
  return { result, errors: issues.filter((i) => i.severity === 'error').map(formatIssue) };
}

const plan = (app: Parameters<typeof buildPlan>[0]['app']) =>
  buildPlan({
    app,
    repo: 'o/r',
    commit: { sha: 'a'.repeat(40), message: 'm', author: 'me' },
    trigger: { kind: 'push' },
    serviceExists: false,
    now: new Date(0),
  });

describe('standalone-task apps (no service definition)', () => {
  it('success: loads the placement from spec.input and quick-syncs as one ECS_RUN_TASK', async () => {
    const { result, errors } = await load();
    expect(errors).toEqual([]);
    if (!result.ok) throw new Error('expected ok');
    expect(result.app.standalone).toEqual({
      cluster: CLUSTER,
      launchType: 'FARGATE',
      awsvpcConfiguration: { subnets: ['subnet-local-a'], securityGroups: ['sg-local-web'], assignPublicIp: 'DISABLED' },
    });
    expect(result.app.files).toEqual(['app.pipecd.yaml', 'taskdef.yaml']);
    const p = plan(result.app);
    expect(p.strategy).toBe('QUICK_SYNC');
    expect(p.standalone?.cluster).toBe(CLUSTER);
    expect(p.stages).toEqual([{ index: 0, name: 'ECS_RUN_TASK', desc: 'Run the standalone task', with: { timeoutSeconds: 1800 } }]);
  });

  it('success: an empty serviceDefinitionFile also means a standalone task (PipeCD), and launchType defaults to FARGATE', async () => {
    const { result, errors } = await load((a) => {
      a.config.spec.input.serviceDefinitionFile = '';
      delete a.config.spec.input.launchType;
    });
    expect(errors).toEqual([]);
    expect(result.ok && result.app.standalone?.launchType).toBe('FARGATE');
  });

  it('success: a pipeline of ECS_RUN_TASK behind an approval applies even on the first deployment (there is no service to create)', async () => {
    const { result, errors } = await load((a) => {
      a.config.spec.pipeline = {
        stages: [
          { name: 'WAIT_APPROVAL', with: { approvers: ['alice'] } },
          { name: 'ECS_RUN_TASK', with: { timeout: '5m' } },
        ],
      };
    });
    expect(errors).toEqual([]);
    if (!result.ok) throw new Error('expected ok');
    const p = plan(result.app);
    expect(p.strategy).toBe('PIPELINE');
    expect(p.stages.map((s) => s.name)).toEqual(['WAIT_APPROVAL', 'ECS_RUN_TASK']);
  });

  it('success: stepcd plan (and pull-request checks) show the one task run and read no service', async () => {
    const { result } = await load();
    if (!result.ok) throw new Error('expected ok');
    const reads: string[] = [];
    const live = {
      describeLive: async (cluster: string, service: string) => {
        reads.push(`${cluster}/${service}`);
        return undefined;
      },
      close: () => undefined,
    };
    const report = await planApp(result.app, live);
    expect(report.strategy).toBe('QUICK_SYNC');
    expect(report.stages.map((s) => s.name)).toEqual(['ECS_RUN_TASK']);
    expect(report.service).toEqual({ exists: false, changes: [] });
    expect(report.standalone).toEqual({ cluster: CLUSTER });
    expect(reads).toEqual([]);
  });

  it.each<[string, (a: ReturnType<typeof standaloneApp>) => void, string]>([
    [
      'fail: no clusterArn',
      (a) => delete a.config.spec.input.clusterArn,
      'app.pipecd.yaml: spec.input.clusterArn is required for a standalone task (no spec.input.serviceDefinitionFile): the cluster the task runs in',
    ],
    [
      'fail: a traffic stage in the pipeline',
      (a) => (a.config.spec.pipeline = { stages: [{ name: 'ECS_RUN_TASK' }, { name: 'ECS_CANARY_ROLLOUT', with: { scale: 10 } }] }),
      'app.pipecd.yaml: spec.pipeline.stages[1].name ECS_CANARY_ROLLOUT cannot run in a standalone task app: a standalone task (no spec.input.serviceDefinitionFile) has no service or traffic; use ECS_RUN_TASK (with WAIT, WAIT_APPROVAL, ANALYSIS)',
    ],
    [
      'fail: ECS_SYNC in the pipeline',
      (a) => (a.config.spec.pipeline = { stages: [{ name: 'ECS_SYNC' }] }),
      'app.pipecd.yaml: spec.pipeline.stages[0].name ECS_SYNC cannot run in a standalone task app: a standalone task (no spec.input.serviceDefinitionFile) has no service or traffic; use ECS_RUN_TASK (with WAIT, WAIT_APPROVAL, ANALYSIS)',
    ],
    [
      'fail: a pipeline that never runs the task',
      (a) => (a.config.spec.pipeline = { stages: [{ name: 'WAIT', with: { duration: '1m' } }] }),
      'app.pipecd.yaml: spec.pipeline.stages must hold an ECS_RUN_TASK stage: a standalone task app deploys by running its task',
    ],
    [
      'fail: target groups',
      (a) => (a.config.spec.input.targetGroups = { primary: { targetGroupArn: CANARY_ARN, containerName: 'migrate', containerPort: 80 } }),
      'app.pipecd.yaml: spec.input.targetGroups must not be set: a standalone task (no spec.input.serviceDefinitionFile) has no service to register in a target group',
    ],
    [
      'fail: SERVICE_DISCOVERY',
      (a) => (a.config.spec.input.accessType = 'SERVICE_DISCOVERY'),
      'app.pipecd.yaml: spec.input.accessType must not be SERVICE_DISCOVERY: a standalone task (no spec.input.serviceDefinitionFile) has no service to make discoverable',
    ],
    [
      'fail: Fargate without a network',
      (a) => delete a.config.spec.input.awsvpcConfiguration,
      'app.pipecd.yaml: spec.input.awsvpcConfiguration is required with launchType FARGATE (the default): Fargate tasks need subnets',
    ],
    [
      'fail: a network without subnets',
      (a) => (a.config.spec.input.awsvpcConfiguration = { securityGroups: ['sg-1'] }),
      'app.pipecd.yaml: spec.input.awsvpcConfiguration.subnets is required (RunTask refuses an awsvpc network without subnets)',
    ],
    [
      'fail: assignPublicIp as a boolean',
      (a) => (a.config.spec.input.awsvpcConfiguration.assignPublicIp = true),
      'app.pipecd.yaml: spec.input.awsvpcConfiguration.assignPublicIp must be one of ENABLED, DISABLED (got true)',
    ],
    [
      'fail: runStandaloneTask false (nothing would run)',
      (a) => (a.config.spec.input.runStandaloneTask = false),
      'app.pipecd.yaml: spec.input.runStandaloneTask cannot be false in stepcd: a standalone task (no spec.input.serviceDefinitionFile) deploys by running the task once',
    ],
    [
      'fail: an unknown launch type',
      (a) => (a.config.spec.input.launchType = 'LAMBDA'),
      'app.pipecd.yaml: spec.input.launchType must be one of FARGATE, EC2, EXTERNAL (got "LAMBDA")',
    ],
  ])('%s', async (_name, mutate, message) => {
    const { result, errors } = await load(mutate);
    expect(result.ok).toBe(false);
    expect(errors).toContain(message);
  });
});
