import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';

/**
 * A PipeCD standalone-task app (task definition, no service definition) through the real state
 * machine: each deployment registers the task definition and runs the task once; it succeeds only
 * when every essential container exits 0, and it never touches an ECS service.
 */
const CONFIG = `apiVersion: pipecd.dev/v1beta1
kind: ECSApp
spec:
  name: migrate
  input:
    taskDefinitionFile: taskdef.yaml
    clusterArn: arn:aws:ecs:us-east-1:000000000000:cluster/demo
    launchType: FARGATE
    awsvpcConfiguration:
      subnets: [subnet-local-a]
      securityGroups: [sg-local-web]
      assignPublicIp: DISABLED
`;
const taskdef = (tag: string) => `family: migrate
requiresCompatibilities: [FARGATE]
networkMode: awsvpc
cpu: "256"
memory: "512"
containerDefinitions:
  - name: migrate
    image: registry.example.com/migrate:${tag}
    essential: true
  - name: log-router
    image: registry.example.com/log-router:1.0.0
    essential: false
`;

/** Every ECS or ELBv2 operation that changes a service, a task set or traffic. */
const SERVICE_MUTATIONS = [
  'CreateService',
  'UpdateService',
  'DeleteService',
  'CreateTaskSet',
  'UpdateTaskSet',
  'DeleteTaskSet',
  'UpdateServicePrimaryTaskSet',
  'ModifyRule',
  'ModifyListener',
];

describe('standalone-task app', () => {
  let h: StackHarness;

  beforeAll(async () => {
    h = await startStackHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const calls = () => h.stack.cloud.calls.calls;

  it('success: the first deployment runs the task once in spec.input placement, succeeds on exit 0, and mutates no service', async () => {
    const before = calls().length;
    const { id, arn } = await h.deploy({ 'apps/migrate/app.pipecd.yaml': CONFIG, 'apps/migrate/taskdef.yaml': taskdef('1.0.0') }, 'migrate: 1.0.0');
    const run = await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 60_000 });
    expect(run.status, `${run.error} ${run.cause}`).toBe('SUCCEEDED');
    const record = await h.stack.core.history.getDeployment(id);
    expect(record?.status).toBe('SUCCESS');
    expect(record?.stages.map((s) => [s.name, s.status])).toEqual([['ECS_RUN_TASK', 'SUCCESS']]);
    expect(record?.stages[0]?.detail).toContain('exited 0 (migrate)');
    const mine = calls().slice(before);
    const runs = mine.filter((c) => c.operation === 'RunTask');
    expect(runs).toHaveLength(1);
    const input = runs[0]!.input as { cluster: string; taskDefinition: string; launchType?: string; networkConfiguration?: unknown };
    expect(input.cluster).toBe('arn:aws:ecs:us-east-1:000000000000:cluster/demo');
    expect(input.taskDefinition).toBe(record?.state?.taskDefinitionArn);
    expect(input.launchType).toBe('FARGATE');
    expect(input.networkConfiguration).toEqual({
      awsvpcConfiguration: { subnets: ['subnet-local-a'], securityGroups: ['sg-local-web'], assignPublicIp: 'DISABLED' },
    });
    expect(mine.filter((c) => c.operation === 'RegisterTaskDefinition')).toHaveLength(1);
    expect(mine.filter((c) => SERVICE_MUTATIONS.includes(c.operation)).map((c) => c.operation)).toEqual([]);
    expect(h.eventsOf(id)).toEqual(expect.arrayContaining(['DEPLOYMENT_STARTED', 'STAGE_SUCCEEDED', 'DEPLOYMENT_SUCCEEDED']));
    // No service is named anywhere: not in the record, not in the events.
    expect(record?.service).toBeUndefined();
    const details = h.stack.cloud.events.events
      .filter((e) => (e.detail as { deploymentId?: string }).deploymentId === id)
      .map((e) => e.detail as Record<string, unknown>);
    expect(details.filter((d) => 'serviceArn' in d)).toEqual([]);
    // The task that ran is the app's deployed version: later pushes are ordered after it.
    expect((await h.stack.core.history.getAppState('migrate')).lastGood).toMatchObject({ deploymentId: id, taskSetIds: [] });
  });

  it('fail: a non-zero essential container fails the deployment, naming the container, its exit code and the stopped reason', async () => {
    const before = calls().length;
    h.stack.cloud.emulator.faults.exitCodes({ family: 'migrate', container: 'migrate', exitCode: 3, reason: 'migration 0042 failed' });
    try {
      const { id, arn } = await h.deploy({ 'apps/migrate/taskdef.yaml': taskdef('1.1.0') }, 'migrate: 1.1.0');
      const run = await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 60_000 });
      expect(run.status).toBe('FAILED');
      expect(run.error).toBe('stepcd.TaskFailed');
      const record = await h.stack.core.history.getDeployment(id);
      expect(record?.status).toBe('FAILURE');
      expect(record?.stages.map((s) => [s.name, s.status])).toEqual([['ECS_RUN_TASK', 'FAILURE']]);
      const detail = record?.stages[0]?.detail ?? '';
      expect(detail).toContain('essential container migrate exited with exit code 3 (migration 0042 failed)');
      expect(detail).toContain('stopped reason: Essential container in task exited');
      expect(detail).not.toContain('log-router');
      expect(record?.reason ?? '').toContain('exit code 3');
      const mine = calls().slice(before);
      expect(mine.filter((c) => c.operation === 'RunTask')).toHaveLength(1);
      expect(mine.filter((c) => SERVICE_MUTATIONS.includes(c.operation)).map((c) => c.operation)).toEqual([]);
      expect(h.eventsOf(id)).toEqual(expect.arrayContaining(['STAGE_FAILED', 'DEPLOYMENT_FAILED']));
    } finally {
      h.stack.cloud.emulator.faults.clear();
    }
  });
});
