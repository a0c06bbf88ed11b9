import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';

/** AWS misbehaving under a running pipeline: throttling is retried away; targets that never turn healthy time out. */
describe('faults under the state machine', () => {
  let h: StackHarness;
  let listenerArn: string;

  beforeAll(async () => {
    h = await startStackHarness();
    listenerArn = h.stack.topology!.listenerArn;
    const files = await exampleFiles(['canary', 'bluegreen']);
    files['apps/bluegreen/app.pipecd.yaml'] = files['apps/bluegreen/app.pipecd.yaml']!.replace('scale: 100\n', 'scale: 100\n          stableTimeout: 2m\n');
    await h.deployBaseline(files, 'add canary and bluegreen');
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** Errors the state machine's Retry saw for one state: what the Lambda threw, before a retry. */
  function retriedErrors(arn: string, stateName: string): string[] {
    const errors: string[] = [];
    let current: string | undefined;
    for (const e of h.stack.cloud.sfn.history(arn)) {
      const value = (e.details as { value?: { name?: string; error?: string } } | undefined)?.value;
      if (e.type === 'TaskStateEntered') current = value?.name;
      if (e.type === 'TaskFailed' && current === stateName && value?.error) errors.push(value.error);
    }
    return errors;
  }

  it('retries throttled ELBv2 calls with backoff and still ends SUCCESS', async () => {
    const faulted = () => h.stack.cloud.emulator.calls.all().filter((c) => c.service === 'elbv2' && c.faulted).length;
    // More throttles than the SDK's own 3 attempts absorb, so the ASL's Retry has to act too.
    h.stack.cloud.emulator.faults.inject({ service: 'elbv2', operation: 'ModifyRule', kind: 'throttle', times: 3 });
    const { id, arn } = await h.deploy(await h.imageBump('canary', '5.0.0'));
    await h.waitForStatus(id, 'WAITING_APPROVAL');
    expect(faulted()).toBe(3);
    expect((await h.stack.approvals.approve({ deploymentId: id, user: 'U-LEAD', via: 'cli', now: new Date() })).kind).toBe('approved');

    const run = await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 30_000 });
    expect(run.status).toBe('SUCCEEDED');
    expect(retriedErrors(arn, 'ECS_TRAFFIC_ROUTING')).toContain('stepcd.Throttled');
    const record = await h.stack.core.history.getDeployment(id);
    expect(record?.status).toBe('SUCCESS');
    // Retries that succeeded are not errors of the deployment.
    expect(record?.errors).toEqual([]);
    const seen = h.stack.cloud.emulator.probe({ listenerArn, requests: 100, path: '/canary/' });
    expect(seen.outcomes['503']).toBe(0);
    expect(Object.keys(seen.byVersion)).toEqual([record?.state?.taskDefinitionArn]);
  });

  it('fails a stage whose targets never turn healthy with stepcd.StableTimeout, and rolls back', async () => {
    const canaryGroup = h.stack.topology!.targetGroups['bluegreen']!.canary!;
    h.stack.cloud.emulator.faults.unhealthyTargets({ targetGroupArn: canaryGroup });
    try {
      const { id, arn } = await h.deploy(await h.imageBump('bluegreen', '5.0.0'));
      const run = await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 30_000 });
      expect(run.error).toBe('stepcd.StableTimeout');

      const record = await h.stack.core.history.getDeployment(id);
      expect(record?.status).toBe('FAILURE');
      expect(record?.reason).toMatch(/not STEADY_STATE after 120s/);
      expect(record?.errors).toMatchObject([{ stage: 'ECS_CANARY_ROLLOUT', error: 'stepcd.StableTimeout' }]);
      expect(h.eventsOf(id)).toContain('DEPLOYMENT_ROLLING_BACK');
      const appState = await h.stack.core.history.getAppState('bluegreen');
      expect(appState.lockHolder).toBeUndefined();
      const live = h.stack.cloud.emulator.inspect.taskSetsOf('demo', 'bluegreen').filter((s) => s.status !== 'DRAINING');
      expect(live.map((s) => s.id)).toEqual(appState.lastGood!.taskSetIds);
    } finally {
      h.stack.cloud.emulator.faults.clear();
    }
  });

  it('fails a stage still stabilising when spec.timeout passes, before its own stableTimeout, and rolls back', async () => {
    h.stack.cloud.emulator.faults.unhealthyTargets({ targetGroupArn: h.stack.topology!.targetGroups['canary']!.canary! });
    try {
      const manifest = (await exampleFiles(['canary']))['apps/canary/app.pipecd.yaml']!;
      const { id, arn } = await h.deploy({
        ...(await h.imageBump('canary', '6.0.0')),
        'apps/canary/app.pipecd.yaml': manifest.replace('spec:\n  name: canary\n', 'spec:\n  name: canary\n  timeout: 90s\n'),
      });
      const run = await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 30_000 });
      expect(run.error).toBe('stepcd.DeploymentTimeout');

      const record = await h.stack.core.history.getDeployment(id);
      expect(record?.status).toBe('FAILURE');
      expect(record?.reason).toMatch(/^deployment exceeded its timeout of 90s \(spec.timeout\) while ECS_CANARY_ROLLOUT was stabilising/);
      const appState = await h.stack.core.history.getAppState('canary');
      expect(appState.lockHolder).toBeUndefined();
      const live = h.stack.cloud.emulator.inspect.taskSetsOf('demo', 'canary').filter((s) => s.status !== 'DRAINING');
      expect(live.map((s) => s.id)).toEqual(appState.lastGood!.taskSetIds);
    } finally {
      h.stack.cloud.emulator.faults.clear();
    }
  });
});
