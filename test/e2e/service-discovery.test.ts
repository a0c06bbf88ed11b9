import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';

const app = (stages: string) => `apiVersion: pipecd.dev/v1beta1
kind: ECSApp
spec:
  name: sd
  input:
    serviceDefinitionFile: servicedef.yaml
    taskDefinitionFile: taskdef.yaml
    accessType: SERVICE_DISCOVERY
  pipeline:
    stages:
${stages}`;

const servicedef = `cluster: demo
serviceName: sd
desiredCount: 2
deploymentController:
  type: EXTERNAL
serviceRegistries:
  - registryArn: arn:aws:servicediscovery:us-east-1:000000000000:service/srv-sd
`;

const taskdef = (tag: string) => `family: sd
requiresCompatibilities: [FARGATE]
networkMode: awsvpc
cpu: "256"
memory: "512"
containerDefinitions:
  - name: web
    image: registry.example.com/sd:${tag}
    essential: true
    portMappings:
      - containerPort: 80
`;

const PIPELINE = `      - name: ECS_CANARY_ROLLOUT
        with:
          scale: 50
      - name: ECS_PRIMARY_ROLLOUT
      - name: ECS_CANARY_CLEAN
`;

/** An app without a load balancer: canary, primary rollout and clean through the state machine, no routing. */
describe('SERVICE_DISCOVERY through the state machine', () => {
  let h: StackHarness;

  beforeAll(async () => {
    h = await startStackHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('quick-syncs the first deployment, then runs canary → primary rollout → canary clean with no ELB call', async () => {
    const files = { 'apps/sd/app.pipecd.yaml': app(PIPELINE), 'apps/sd/servicedef.yaml': servicedef, 'apps/sd/taskdef.yaml': taskdef('1.0.0') };
    const first = await h.deploy(files, 'add sd');
    expect((await h.stack.cloud.sfn.waitForExecution(first.arn, { timeoutMs: 30_000 })).status).toBe('SUCCEEDED');

    const elbMutations = () => h.stack.cloud.emulator.calls.all().filter((c) => c.service === 'elbv2' && c.mutating).length;
    const before = elbMutations();
    const { id, arn } = await h.deploy({ 'apps/sd/taskdef.yaml': taskdef('2.0.0') });
    expect((await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 30_000 })).status).toBe('SUCCEEDED');

    const record = await h.stack.core.history.getDeployment(id);
    expect(record?.status).toBe('SUCCESS');
    expect(record?.stages.map((s) => [s.name, s.status])).toEqual([
      ['ECS_CANARY_ROLLOUT', 'SUCCESS'],
      ['ECS_PRIMARY_ROLLOUT', 'SUCCESS'],
      ['ECS_CANARY_CLEAN', 'SUCCESS'],
    ]);
    expect(elbMutations()).toBe(before);
    const live = h.stack.cloud.emulator.inspect.taskSetsOf('demo', 'sd').filter((s) => s.status !== 'DRAINING');
    expect(live.map((s) => [s.id, s.taskDefinitionArn])).toEqual([[record?.state?.primaryTaskSetId, record?.state?.taskDefinitionArn]]);
    expect((await h.stack.core.history.getAppState('sd')).lastGood?.deploymentId).toBe(id);
  });

  it('rolls a crashing canary back without an ELB: the last good set alone remains', async () => {
    const lastGood = (await h.stack.core.history.getAppState('sd')).lastGood!;
    h.stack.cloud.emulator.faults.crashTasks({ image: 'sd:3.0.0', reason: 'Essential container in task exited: exit 2' });
    try {
      const { id, arn } = await h.deploy({ 'apps/sd/taskdef.yaml': taskdef('3.0.0') });
      expect((await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 30_000 })).error).toBe('stepcd.StabilizeFailed');
      const record = await h.stack.core.history.getDeployment(id);
      expect(record?.status).toBe('FAILURE');
      expect(record?.reason).toContain('rolled back');
    } finally {
      h.stack.cloud.emulator.faults.clear();
    }
    const live = h.stack.cloud.emulator.inspect.taskSetsOf('demo', 'sd').filter((s) => s.status !== 'DRAINING');
    expect(live.map((s) => s.id)).toEqual(lastGood.taskSetIds);
    expect((await h.stack.core.history.getAppState('sd')).lockHolder).toBeUndefined();
  });
});
