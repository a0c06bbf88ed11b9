import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/manifest/issues.js';
import { loadApp } from '../../src/manifest/index.js';
import { CANARY_ARN, canaryApp, filesOf, memoryFiles, type AppFixture } from './fixtures.js';

async function load(mutate: (app: AppFixture) => void = () => {}) {
  const app = canaryApp();
  mutate(app);
  const result = await loadApp(filesOf(app), 'app.pipecd.yaml');
  const issues = result.ok ? result.warnings : result.issues;
  return {
    result,
    errors: issues.filter((i) => i.severity === 'error').map(formatIssue),
    warnings: issues.filter((i) => i.severity === 'warning').map(formatIssue),
  };
}

const stages = (app: AppFixture) => app.config.spec.pipeline.stages as Record<string, any>[];

describe('loadApp: valid manifests', () => {
  it('success: loads a canary app with every default filled in', async () => {
    const { result, errors, warnings } = await load();
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    if (!result.ok) throw new Error('expected ok');
    const { app } = result;
    expect(app).toMatchObject({
      name: 'web',
      dir: '',
      configFile: 'app.pipecd.yaml',
      labels: { env: 'dev' },
      accessType: 'ELB',
      autoRollback: true,
      alwaysUsePipeline: false,
      trigger: { paths: [], ignores: [] },
      timeoutSeconds: 21600,
      mentions: [],
      pollIntervalSeconds: 15,
      files: ['app.pipecd.yaml', 'servicedef.yaml', 'taskdef.yaml'],
      serviceDefinition: { cluster: 'demo', serviceName: 'web' },
      taskDefinition: { family: 'web' },
    });
    expect(app.slackChannel).toBeUndefined();
    expect(app.stages).toEqual([
      { index: 0, name: 'ECS_CANARY_ROLLOUT', with: { scale: 30, stableTimeoutSeconds: 600 } },
      { index: 1, name: 'ECS_TRAFFIC_ROUTING', with: { primary: 80, canary: 20 } },
      { index: 2, name: 'WAIT_APPROVAL', with: { approvers: [], minApproverNum: 1, timeoutSeconds: 21600 } },
      { index: 3, name: 'ECS_PRIMARY_ROLLOUT', with: { stableTimeoutSeconds: 600 } },
      { index: 4, name: 'ECS_TRAFFIC_ROUTING', with: { primary: 100, canary: 0 } },
      { index: 5, name: 'ECS_CANARY_CLEAN', with: {} },
    ]);
  });

  it.each([
    ['success: a percentage string with %', { name: 'ECS_CANARY_ROLLOUT', with: { scale: '30%' } }, { scale: 30, stableTimeoutSeconds: 600 }],
    ['success: a percentage as a string', { name: 'ECS_CANARY_ROLLOUT', with: { scale: '45' } }, { scale: 45, stableTimeoutSeconds: 600 }],
    ['success: with.stableTimeout', { name: 'ECS_CANARY_ROLLOUT', with: { scale: 10, stableTimeout: '1h30m' } }, { scale: 10, stableTimeoutSeconds: 5400 }],
    ['success: a stage timeout bounds the rollout wait', { name: 'ECS_PRIMARY_ROLLOUT', timeout: '20m' }, { stableTimeoutSeconds: 1200 }],
    ['success: primary wins over canary', { name: 'ECS_TRAFFIC_ROUTING', with: { primary: 70, canary: 30 } }, { primary: 70, canary: 30 }],
    ['success: primary 0 falls back to canary', { name: 'ECS_TRAFFIC_ROUTING', with: { primary: 0, canary: '40%' } }, { primary: 60, canary: 40 }],
    ['success: no weights means all traffic to primary', { name: 'ECS_TRAFFIC_ROUTING' }, { primary: 100, canary: 0 }],
    ['success: WAIT with a Go duration', { name: 'WAIT', with: { duration: '1.5m' } }, { durationSeconds: 90 }],
    [
      'success: WAIT_APPROVAL with approvers',
      { name: 'WAIT_APPROVAL', with: { approvers: ['a', 'b'], minApproverNum: 2, timeout: '30m' } },
      { approvers: ['a', 'b'], minApproverNum: 2, timeoutSeconds: 1800 },
    ],
    [
      'success: WAIT_APPROVAL stage timeout is the approval timeout',
      { name: 'WAIT_APPROVAL', timeout: '2h' },
      { approvers: [], minApproverNum: 1, timeoutSeconds: 7200 },
    ],
  ])('%s', async (_name, stage, expectedWith) => {
    const { result, errors } = await load((a) => {
      a.config.spec.pipeline.stages = [stage, { name: 'ECS_CANARY_CLEAN' }];
    });
    expect(errors).toEqual([]);
    expect(result.ok && result.app.stages[0]?.with).toEqual(expectedWith);
  });

  it.each([
    ['input.autoRollback', (a: AppFixture) => (a.config.spec.input.autoRollback = false)],
    ['planner.autoRollback', (a: AppFixture) => (a.config.spec.planner = { autoRollback: false })],
  ])('success: %s false disables auto-rollback', async (_name, mutate) => {
    const { result } = await load(mutate);
    expect(result.ok && result.app.autoRollback).toBe(false);
  });

  it('success: reads the PipeCD JSON shapes, the default taskdef.json and a nested app directory', async () => {
    const app = canaryApp();
    delete app.config.spec.input.taskDefinitionFile;
    app.config.spec.input.serviceDefinitionFile = './defs/servicedef.json';
    const files = memoryFiles({
      'apps/web/app.pipecd.yaml': app.config,
      'apps/web/defs/servicedef.json': JSON.stringify(app.service, null, 2),
      'apps/web/taskdef.json': JSON.stringify(app.task),
    });
    const result = await loadApp(files, 'apps/web/app.pipecd.yaml');
    expect(result.ok).toBe(true);
    expect(result.ok && result.app.files).toEqual(['apps/web/app.pipecd.yaml', 'apps/web/defs/servicedef.json', 'apps/web/taskdef.json']);
    expect(result.ok && result.app.dir).toBe('apps/web');
  });

  it('success: reads stepcd extensions, trigger paths and notification mentions', async () => {
    const { result, warnings } = await load((a) => {
      a.config.spec.timeout = '2h';
      a.config.spec.trigger = { onCommit: { paths: ['src/'], ignores: ['docs/'] } };
      a.config.spec.stepcd = { slackChannel: '#deploys', pollInterval: '5s', imagePolicy: { allowMutableTags: false } };
      a.config.spec.notification = {
        mentions: [
          { event: 'EVENT_DEPLOYMENT_WAIT_APPROVAL', slack: ['U1'], slackUsers: ['U2'] },
          { event: '*', slackGroups: ['S1'] },
        ],
      };
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.app).toMatchObject({
      timeoutSeconds: 7200,
      trigger: { paths: ['src/'], ignores: ['docs/'] },
      slackChannel: '#deploys',
      pollIntervalSeconds: 5,
      mentions: [
        { event: 'DEPLOYMENT_WAIT_APPROVAL', slackUsers: ['U2', 'U1'], slackGroups: [] },
        { event: '*', slackUsers: [], slackGroups: ['S1'] },
      ],
    });
    expect(warnings).toEqual(['app.pipecd.yaml: spec.notification.mentions[0].slack is deprecated in PipeCD; use slackUsers (stepcd treats it the same)']);
  });

  it('success: mutable image tags pass when the app opts in', async () => {
    const { result } = await load((a) => {
      a.task.containerDefinitions[0].image = 'nginx:latest';
      a.config.spec.stepcd = { imagePolicy: { allowMutableTags: true } };
    });
    expect(result.ok).toBe(true);
  });

  it('success: an image pinned by digest, or on a registry with a port, passes', async () => {
    const { errors } = await load((a) => {
      a.task.containerDefinitions = [
        { name: 'web', image: 'nginx@sha256:' + 'a'.repeat(64), portMappings: [{ containerPort: 80 }] },
        { name: 'side', image: 'registry.local:5000/side:2.1' },
      ];
    });
    expect(errors).toEqual([]);
  });

  it('success: reads an ANALYSIS stage over CloudWatch alarms, dropping repeated alarm names', async () => {
    const { result, errors, warnings } = await load((a) => {
      stages(a)[2] = { name: 'ANALYSIS', desc: 'watch the canary', with: { duration: '10m', alarms: ['web-5xx-rate', 'web-p99-latency', 'web-5xx-rate'] } };
    });
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    if (!result.ok) throw new Error('expected ok');
    expect(result.app.stages[2]).toEqual({
      index: 2,
      name: 'ANALYSIS',
      desc: 'watch the canary',
      with: { durationSeconds: 600, alarms: ['web-5xx-rate', 'web-p99-latency'] },
    });
  });

  it('success: a stage timeout on ANALYSIS is a warning, since the stage runs for its duration', async () => {
    const { result, warnings } = await load((a) => {
      stages(a)[2] = { name: 'ANALYSIS', timeout: '1h', with: { duration: '5m', alarms: ['web-5xx'] } };
    });
    expect(result.ok).toBe(true);
    expect(warnings).toEqual(['app.pipecd.yaml: spec.pipeline.stages[2].timeout is ignored for ANALYSIS, which runs for exactly with.duration']);
  });

  it('success: unsupported PipeCD features are warnings naming the field', async () => {
    const { result, warnings } = await load((a) => {
      a.config.spec.driftDetection = { ignoreFields: [] };
      stages(a)[0]!.skipOn = { paths: ['docs/'] };
    });
    expect(result.ok).toBe(true);
    expect(warnings).toEqual(
      [
        'app.pipecd.yaml: spec.pipeline.stages[0].skipOn is a PipeCD feature stepcd ignores',
        'app.pipecd.yaml: spec.driftDetection is a PipeCD feature stepcd ignores',
      ].sort((a, b) => warnings.indexOf(a) - warnings.indexOf(b)),
    );
    expect(warnings).toHaveLength(2);
  });
});

describe('loadApp: invalid manifests', () => {
  it.each<[string, (a: AppFixture) => void, string]>([
    [
      'fail: service without the EXTERNAL controller',
      (a) => (a.service.deploymentController = { type: 'ECS' }),
      'servicedef.yaml: deploymentController.type must be EXTERNAL',
    ],
    [
      'fail: service with no deployment controller',
      (a) => delete a.service.deploymentController,
      'servicedef.yaml: deploymentController.type must be EXTERNAL',
    ],
    [
      'fail: service with loadBalancers',
      (a) => (a.service.loadBalancers = []),
      'servicedef.yaml: loadBalancers is not allowed: with the EXTERNAL deployment controller load balancers belong to each task set; stepcd sets them from spec.input.targetGroups',
    ],
    [
      'fail: service with taskDefinition',
      (a) => (a.service.taskDefinition = 'web:1'),
      'servicedef.yaml: taskDefinition is not allowed: with the EXTERNAL deployment controller the task definition belongs to each task set; stepcd registers it from the task definition file',
    ],
    [
      'fail: service with an empty capacityProviderStrategy',
      (a) => (a.service.capacityProviderStrategy = []),
      'servicedef.yaml: capacityProviderStrategy must list at least one capacity provider',
    ],
    [
      'fail: service with both launchType and capacityProviderStrategy',
      (a) => {
        a.service.launchType = 'FARGATE';
        a.service.capacityProviderStrategy = [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }];
      },
      'servicedef.yaml: capacityProviderStrategy cannot be set together with launchType: ECS refuses a task set with both (InvalidParameterException); keep one',
    ],
    [
      'fail: an encrypted secret that is not a ciphertext',
      (a) => (a.config.spec.encryption = { encryptedSecrets: { db: 'not base64!' }, decryptionTargets: ['taskdef.yaml'] }),
      'app.pipecd.yaml: spec.encryption.encryptedSecrets.db must be the base64 ciphertext that `stepcd encrypt` prints',
    ],
    ['fail: service without cluster', (a) => delete a.service.cluster, 'servicedef.yaml: cluster is required'],
    ['fail: serviceName of the wrong type', (a) => (a.service.serviceName = 5), 'servicedef.yaml: serviceName must be a string (got 5)'],
    ['fail: negative desiredCount', (a) => (a.service.desiredCount = -1), 'servicedef.yaml: desiredCount must be 0 or more'],
    ['fail: wrong kind', (a) => (a.config.kind = 'KubernetesApp'), 'app.pipecd.yaml: kind must be ECSApp (got "KubernetesApp"): stepcd deploys ECS apps only'],
    ['fail: wrong apiVersion', (a) => (a.config.apiVersion = 'pipecd.dev/v1'), 'app.pipecd.yaml: apiVersion must be pipecd.dev/v1beta1 (got "pipecd.dev/v1")'],
    ['fail: unknown top-level field', (a) => ((a.config as Record<string, unknown>).metadata = {}), 'app.pipecd.yaml: metadata is an unknown field'],
    ['fail: unknown spec field', (a) => (a.config.spec.foo = 1), 'app.pipecd.yaml: spec.foo is an unknown field'],
    [
      'fail: misspelt input field',
      (a) => (a.config.spec.input.taskDefintionFile = 'x'),
      'app.pipecd.yaml: spec.input.taskDefintionFile is an unknown field (did you mean taskDefinitionFile?)',
    ],
    ['fail: missing spec.name', (a) => delete a.config.spec.name, 'app.pipecd.yaml: spec.name is required'],
    [
      'fail: app name with spaces',
      (a) => (a.config.spec.name = 'my app'),
      'app.pipecd.yaml: spec.name must be 1–100 letters, digits, ".", "_" or "-", starting with a letter or digit',
    ],
    ['fail: label value not a string', (a) => (a.config.spec.labels = { env: 1 }), 'app.pipecd.yaml: spec.labels.env must be a string (got 1)'],
    [
      'fail: autoRollback not a boolean',
      (a) => (a.config.spec.planner = { autoRollback: 'yes' }),
      'app.pipecd.yaml: spec.planner.autoRollback must be true or false (got "yes")',
    ],
    [
      'fail: bad accessType',
      (a) => (a.config.spec.input.accessType = 'ALB'),
      'app.pipecd.yaml: spec.input.accessType must be one of ELB, SERVICE_DISCOVERY (got "ALB")',
    ],
    [
      'fail: no service definition and no cluster (a standalone task needs spec.input.clusterArn)',
      (a) => delete a.config.spec.input.serviceDefinitionFile,
      'app.pipecd.yaml: spec.input.clusterArn is required for a standalone task (no spec.input.serviceDefinitionFile): the cluster the task runs in',
    ],
    [
      'fail: a standalone-task field on a service app',
      (a) => (a.config.spec.input.clusterArn = 'arn:aws:ecs:us-east-1:000000000000:cluster/demo'),
      'app.pipecd.yaml: spec.input.clusterArn applies to standalone tasks only: remove it, or remove serviceDefinitionFile to run a standalone task',
    ],
    [
      'fail: service definition outside the repository',
      (a) => (a.config.spec.input.serviceDefinitionFile = '../../etc/passwd'),
      'app.pipecd.yaml: spec.input.serviceDefinitionFile "../../etc/passwd" must be a relative path inside the repository',
    ],
    [
      'fail: missing task definition file',
      (a) => (a.config.spec.input.taskDefinitionFile = 'nope.yaml'),
      'app.pipecd.yaml: spec.input.taskDefinitionFile names "nope.yaml", which does not exist (looked for nope.yaml)',
    ],
    ['fail: bad spec.timeout', (a) => (a.config.spec.timeout = 60), 'app.pipecd.yaml: spec.timeout must be a duration such as "30s", "5m" or "1h30m" (got 60)'],
    [
      'fail: commit trigger disabled',
      (a) => (a.config.spec.trigger = { onCommit: { disabled: true } }),
      'app.pipecd.yaml: spec.trigger.onCommit.disabled cannot be true: stepcd deploys only on commit, so the app would never deploy',
    ],
    [
      'fail: scale 0 on a canary rollout',
      (a) => (stages(a)[0]!.with = { scale: 0 }),
      'app.pipecd.yaml: spec.pipeline.stages[0].with.scale must be greater than 0: a canary with no tasks cannot serve or be checked',
    ],
    [
      'fail: scale above 100',
      (a) => (stages(a)[0]!.with = { scale: '150%' }),
      'app.pipecd.yaml: spec.pipeline.stages[0].with.scale must be between 0 and 100 (got "150%")',
    ],
    ['fail: canary rollout without scale', (a) => delete stages(a)[0]!.with, 'app.pipecd.yaml: spec.pipeline.stages[0].with.scale is required'],
    [
      'fail: routing above 100',
      (a) => (stages(a)[1]!.with = { canary: 120 }),
      'app.pipecd.yaml: spec.pipeline.stages[1].with.canary must be between 0 and 100 (got 120)',
    ],
    ['fail: unknown stage option', (a) => (stages(a)[1]!.with = { weight: 20 }), 'app.pipecd.yaml: spec.pipeline.stages[1].with.weight is an unknown field'],
    [
      'fail: ECS_RUN_TASK command without the container it replaces',
      (a) => stages(a).unshift({ name: 'ECS_RUN_TASK', with: { command: ['./migrate'] } }),
      'app.pipecd.yaml: spec.pipeline.stages[0].with.containerName is required with command: it names the container whose command is replaced',
    ],
    [
      'fail: ECS_RUN_TASK with a zero timeout',
      (a) => stages(a).unshift({ name: 'ECS_RUN_TASK', with: { timeout: '0s' } }),
      'app.pipecd.yaml: spec.pipeline.stages[0].with.timeout must be longer than 0s',
    ],
    [
      'fail: ECS_RUN_TASK with an unknown option',
      (a) => stages(a).unshift({ name: 'ECS_RUN_TASK', with: { cluster: 'other' } }),
      'app.pipecd.yaml: spec.pipeline.stages[0].with.cluster is an unknown field',
    ],
    [
      'fail: a decryption target other than the task definition',
      (a) => (a.config.spec.encryption = { encryptedSecrets: { db: 'QUJD' }, decryptionTargets: ['servicedef.yaml'] }),
      'app.pipecd.yaml: spec.encryption.decryptionTargets[0] names servicedef.yaml, but stepcd decrypts into the task definition file only (taskdef.yaml)',
    ],
    [
      'fail: a secret placeholder naming no secret',
      (a) => {
        a.config.spec.encryption = { encryptedSecrets: { db: 'QUJD' }, decryptionTargets: ['taskdef.yaml'] };
        a.task.containerDefinitions[0].environment = [{ name: 'PW', value: '{{ .encryptedSecrets.dbb }}' }];
      },
      'taskdef.yaml: containerDefinitions[0].environment[0].value holds "{{ .encryptedSecrets.dbb }}": it names secret "dbb", which spec.encryption.encryptedSecrets does not define, so it would be deployed literally',
    ],

    [
      'fail: unknown stage',
      (a) => (stages(a)[2]!.name = 'ECS_MAGIC'),
      'app.pipecd.yaml: spec.pipeline.stages[2].name "ECS_MAGIC" is not a stage stepcd knows (known: ECS_SYNC, ECS_CANARY_ROLLOUT, ECS_PRIMARY_ROLLOUT, ECS_TRAFFIC_ROUTING, ECS_CANARY_CLEAN, WAIT, WAIT_APPROVAL, ANALYSIS, ECS_RUN_TASK)',
    ],
    [
      'fail: unsupported PipeCD stage',
      (a) => (stages(a)[2]!.name = 'SCRIPT_RUN'),
      'app.pipecd.yaml: spec.pipeline.stages[2].name "SCRIPT_RUN" is a PipeCD stage stepcd does not support yet',
    ],
    [
      'fail: ANALYSIS without duration',
      (a) => (stages(a)[2] = { name: 'ANALYSIS', with: { alarms: ['web-5xx'] } }),
      'app.pipecd.yaml: spec.pipeline.stages[2].with.duration is required',
    ],
    [
      'fail: ANALYSIS without alarms',
      (a) => (stages(a)[2] = { name: 'ANALYSIS', with: { duration: '10m' } }),
      'app.pipecd.yaml: spec.pipeline.stages[2].with.alarms is required: the CloudWatch alarm names to watch',
    ],
    [
      'fail: ANALYSIS with an empty alarm list',
      (a) => (stages(a)[2] = { name: 'ANALYSIS', with: { duration: '10m', alarms: [] } }),
      'app.pipecd.yaml: spec.pipeline.stages[2].with.alarms must name at least one CloudWatch alarm',
    ],
    [
      'fail: ANALYSIS with more than 100 alarms',
      (a) => (stages(a)[2] = { name: 'ANALYSIS', with: { duration: '10m', alarms: Array.from({ length: 101 }, (_, i) => `a${i}`) } }),
      'app.pipecd.yaml: spec.pipeline.stages[2].with.alarms must name at most 100 alarms',
    ],
    [
      'fail: ANALYSIS with PipeCD metrics',
      (a) => (stages(a)[2] = { name: 'ANALYSIS', with: { duration: '10m', metrics: [{ provider: 'prometheus', query: 'x' }] } }),
      'app.pipecd.yaml: spec.pipeline.stages[2].with.metrics is not supported by stepcd; use with.alarms (CloudWatch alarm names)',
    ],
    [
      'fail: ANALYSIS with PipeCD https',
      (a) => (stages(a)[2] = { name: 'ANALYSIS', with: { duration: '10m', alarms: ['x'], https: [{ url: 'http://x' }] } }),
      'app.pipecd.yaml: spec.pipeline.stages[2].with.https is not supported by stepcd; use with.alarms (CloudWatch alarm names)',
    ],
    [
      'fail: ANALYSIS with PipeCD logs',
      (a) => (stages(a)[2] = { name: 'ANALYSIS', with: { duration: '10m', alarms: ['x'], logs: [] } }),
      'app.pipecd.yaml: spec.pipeline.stages[2].with.logs is not supported by stepcd; use with.alarms (CloudWatch alarm names)',
    ],
    [
      'fail: ANALYSIS with PipeCD dynamic',
      (a) => (stages(a)[2] = { name: 'ANALYSIS', with: { duration: '10m', alarms: ['x'], dynamic: {} } }),
      'app.pipecd.yaml: spec.pipeline.stages[2].with.dynamic is not supported by stepcd; use with.alarms (CloudWatch alarm names)',
    ],
    ['fail: stage without a name', (a) => delete stages(a)[2]!.name, 'app.pipecd.yaml: spec.pipeline.stages[2].name is required'],
    ['fail: WAIT without duration', (a) => (stages(a)[2] = { name: 'WAIT' }), 'app.pipecd.yaml: spec.pipeline.stages[2].with.duration is required'],
    [
      'fail: WAIT of zero',
      (a) => (stages(a)[2] = { name: 'WAIT', with: { duration: '0s' } }),
      'app.pipecd.yaml: spec.pipeline.stages[2].with.duration must be longer than 0s',
    ],
    [
      'fail: minApproverNum 0',
      (a) => (stages(a)[2]!.with = { minApproverNum: 0 }),
      'app.pipecd.yaml: spec.pipeline.stages[2].with.minApproverNum must be at least 1',
    ],
    [
      'fail: more approvals needed than approvers',
      (a) => (stages(a)[2]!.with = { approvers: ['a'], minApproverNum: 2 }),
      'app.pipecd.yaml: spec.pipeline.stages[2].with.minApproverNum is 2 but only 1 approver(s) are listed, so the approval could never pass',
    ],
    [
      'fail: the same approver listed twice',
      (a) => (stages(a)[2]!.with = { approvers: ['a', 'b', 'a'] }),
      'app.pipecd.yaml: spec.pipeline.stages[2].with.approvers[2] "a" is listed more than once; each approver counts once',
    ],
    [
      'fail: more approvals needed than distinct approvers',
      (a) => (stages(a)[2]!.with = { approvers: ['a', 'a'], minApproverNum: 2 }),
      'app.pipecd.yaml: spec.pipeline.stages[2].with.minApproverNum is 2 but only 1 approver(s) are listed, so the approval could never pass',
    ],
    [
      'fail: approvers not a list',
      (a) => (stages(a)[2]!.with = { approvers: 'alice' }),
      'app.pipecd.yaml: spec.pipeline.stages[2].with.approvers must be a list (got "alice")',
    ],
    [
      'fail: empty pipeline',
      (a) => (a.config.spec.pipeline.stages = []),
      'app.pipecd.yaml: spec.pipeline.stages must have at least one stage (remove spec.pipeline to use quick sync)',
    ],
    [
      'fail: canary rollout without a canary target group',
      (a) => delete a.config.spec.input.targetGroups.canary,
      'app.pipecd.yaml: spec.input.targetGroups.canary is required because the pipeline has ECS_CANARY_ROLLOUT (spec.pipeline.stages[0])',
    ],
    [
      'fail: no primary target group with ELB',
      (a) => delete a.config.spec.input.targetGroups.primary,
      'app.pipecd.yaml: spec.input.targetGroups.primary is required when accessType is ELB (the default): stepcd registers the tasks there',
    ],
    [
      'fail: same target group twice',
      (a) => (a.config.spec.input.targetGroups.primary.targetGroupArn = CANARY_ARN),
      'app.pipecd.yaml: spec.input.targetGroups.canary.targetGroupArn must differ from the primary target group, or traffic could never be split',
    ],
    [
      'fail: target group ARN malformed',
      (a) => (a.config.spec.input.targetGroups.canary.targetGroupArn = 'web-canary'),
      'app.pipecd.yaml: spec.input.targetGroups.canary.targetGroupArn must be a target group ARN (arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>)',
    ],
    [
      'fail: target group without containerPort',
      (a) => delete a.config.spec.input.targetGroups.primary.containerPort,
      'app.pipecd.yaml: spec.input.targetGroups.primary.containerPort is required',
    ],
    [
      'fail: container name mismatch',
      (a) => (a.config.spec.input.targetGroups.primary.containerName = 'api'),
      'app.pipecd.yaml: spec.input.targetGroups.primary.containerName "api" is not a container in taskdef.yaml (containers: web)',
    ],
    [
      'fail: container port mismatch',
      (a) => (a.config.spec.input.targetGroups.canary.containerPort = 8080),
      'app.pipecd.yaml: spec.input.targetGroups.canary.containerPort 8080 is not a containerPort of container "web" in taskdef.yaml (ports: 80)',
    ],
    [
      'fail: traffic routing with service discovery',
      (a) => {
        a.config.spec.input.accessType = 'SERVICE_DISCOVERY';
        a.service.serviceRegistries = [{ registryArn: 'arn:aws:servicediscovery:us-east-1:000000000000:service/srv-1' }];
      },
      'app.pipecd.yaml: spec.pipeline.stages[1].name ECS_TRAFFIC_ROUTING needs accessType ELB: with SERVICE_DISCOVERY there are no load balancer weights to set',
    ],
    [
      'fail: service discovery without serviceRegistries',
      (a) => {
        a.config.spec.input.accessType = 'SERVICE_DISCOVERY';
        a.config.spec.pipeline.stages = [{ name: 'ECS_PRIMARY_ROLLOUT' }];
      },
      'servicedef.yaml: serviceRegistries is required when spec.input.accessType is SERVICE_DISCOVERY',
    ],
    [
      'fail: image tagged latest',
      (a) => (a.task.containerDefinitions[0].image = 'nginx:latest'),
      'taskdef.yaml: containerDefinitions[0].image "nginx:latest" uses the mutable tag latest; pin a version tag or digest (or set spec.stepcd.imagePolicy.allowMutableTags: true)',
    ],
    [
      'fail: image without tag',
      (a) => (a.task.containerDefinitions[0].image = 'registry.local:5000/web'),
      'taskdef.yaml: containerDefinitions[0].image "registry.local:5000/web" has no tag or digest, so it means :latest; pin a version tag or digest (or set spec.stepcd.imagePolicy.allowMutableTags: true)',
    ],
    ['fail: task definition without family', (a) => delete a.task.family, 'taskdef.yaml: family is required'],
    [
      'fail: task definition with no containers',
      (a) => (a.task.containerDefinitions = []),
      'taskdef.yaml: containerDefinitions must list at least one container',
    ],
    ['fail: container without image', (a) => delete a.task.containerDefinitions[0].image, 'taskdef.yaml: containerDefinitions[0].image is required'],
    [
      'fail: duplicate container names',
      (a) => a.task.containerDefinitions.push({ name: 'web', image: 'x:1' }),
      'taskdef.yaml: containerDefinitions[1].name "web" is used by another container; names must be unique',
    ],
  ])('%s', async (_name, mutate, message) => {
    const { result, errors } = await load(mutate);
    expect(result.ok).toBe(false);
    expect(errors).toContain(message);
  });

  it('fail: reports every problem across all three files at once', async () => {
    const { errors } = await load((a) => {
      a.config.spec.foo = 1;
      stages(a)[0]!.with = { scale: 0 };
      stages(a)[2]!.name = 'SCRIPT_RUN';
      a.service.deploymentController = { type: 'CODE_DEPLOY' };
      a.service.loadBalancers = [];
      a.task.containerDefinitions[0].image = 'web';
      a.config.spec.input.targetGroups.canary.containerPort = 81;
    });
    expect(errors).toEqual([
      'app.pipecd.yaml: spec.foo is an unknown field',
      'app.pipecd.yaml: spec.pipeline.stages[0].with.scale must be greater than 0: a canary with no tasks cannot serve or be checked',
      'app.pipecd.yaml: spec.pipeline.stages[2].name "SCRIPT_RUN" is a PipeCD stage stepcd does not support yet',
      'servicedef.yaml: deploymentController.type must be EXTERNAL',
      'servicedef.yaml: loadBalancers is not allowed: with the EXTERNAL deployment controller load balancers belong to each task set; stepcd sets them from spec.input.targetGroups',
      'app.pipecd.yaml: spec.input.targetGroups.canary.containerPort 81 is not a containerPort of container "web" in taskdef.yaml (ports: 80)',
      'taskdef.yaml: containerDefinitions[0].image "web" has no tag or digest, so it means :latest; pin a version tag or digest (or set spec.stepcd.imagePolicy.allowMutableTags: true)',
    ]);
  });

  it('fail: a missing app config file is one issue, and nothing else is read', async () => {
    const files = memoryFiles({});
    const result = await loadApp(files, 'apps/x/app.pipecd.yaml');
    expect(result).toEqual({ ok: false, issues: [{ file: 'apps/x/app.pipecd.yaml', path: '', message: 'file not found', severity: 'error' }] });
    expect(files.reads).toEqual(['apps/x/app.pipecd.yaml']);
  });

  it('fail: a YAML syntax error names the line and column', async () => {
    const files = memoryFiles({ 'app.pipecd.yaml': 'apiVersion: pipecd.dev/v1beta1\nkind: ECSApp\nspec:\n  name: [web\n  input: {}\n' });
    const result = await loadApp(files, 'app.pipecd.yaml');
    expect(result.ok).toBe(false);
    const messages = result.ok ? [] : result.issues.map(formatIssue);
    expect(messages[0]).toMatch(/^app\.pipecd\.yaml: invalid YAML at line \d+, column \d+: /);
  });

  it('fail: duplicate YAML keys are a syntax error, not a silent override', async () => {
    const app = canaryApp();
    const files = memoryFiles({ 'app.pipecd.yaml': 'kind: ECSApp\nkind: ECSApp\n', 'servicedef.yaml': app.service, 'taskdef.yaml': app.task });
    const result = await loadApp(files, 'app.pipecd.yaml');
    expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual(['app.pipecd.yaml: invalid YAML at line 2, column 1: Map keys must be unique']);
  });

  it('fail: a JSON syntax error in the task definition names the line and column', async () => {
    const app = canaryApp();
    app.config.spec.input.taskDefinitionFile = 'taskdef.json';
    const files = memoryFiles({
      'app.pipecd.yaml': app.config,
      'servicedef.yaml': app.service,
      'taskdef.json': '{\n  "family": "web",\n  "containerDefinitions": [}\n}',
    });
    const result = await loadApp(files, 'app.pipecd.yaml');
    expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual(['taskdef.json: invalid JSON at line 3, column 28: unexpected "}"']);
  });

  it('fail: a file that is not a mapping says so', async () => {
    const files = memoryFiles({ 'app.pipecd.yaml': '- just\n- a list\n' });
    const result = await loadApp(files, 'app.pipecd.yaml');
    expect(result.ok ? [] : result.issues.map(formatIssue)).toEqual(['app.pipecd.yaml: must hold a mapping with apiVersion, kind and spec (got a list)']);
  });
});
