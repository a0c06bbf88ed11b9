import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { stageToStart } from '../../src/orchestrator/route.js';
import type { ExecutionData } from '../../src/orchestrator/execution-data.js';

/**
 * A stage Lambda whose answer is lost after it changed ECS (a timeout, a crash on the way out):
 * the ASL retries the same call with the same input, and the retry must find the work done.
 */
describe('a stage answer lost after the ECS change', () => {
  let h: StackHarness;

  beforeAll(async () => {
    h = await startStackHarness();
    await h.deployBaseline(await exampleFiles(['canary']), 'add canary');
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('retries every mutating step once without a second task set, revision or weight change, and ends SUCCESS', async () => {
    const lost: string[] = [];
    const undo = h.stack.interceptFunction('stage', async (event, context, next) => {
      const { action, data } = event as { action: string; data: ExecutionData };
      const out = (await next(event, context)) as ExecutionData;
      // Every start (each also advances, and the last completes), and the check that promotes the new
      // primary and deletes the old one (it found the stage done, so it advanced).
      const key = `${action}:${action === 'start' ? stageToStart(data)?.index : data.cursor.index}`;
      const mutated = action === 'start' || (action === 'check' && data.cursor.stage?.name === 'ECS_PRIMARY_ROLLOUT' && out.route !== 'WaitStable');
      if (mutated && !lost.includes(key)) {
        lost.push(key);
        throw new Error('lost answer');
      }
      return out;
    });
    const calls = () => h.stack.cloud.emulator.calls.byOperation();
    try {
      const before = calls();
      const { id, arn } = await h.deploy(await h.imageBump('canary', '4.0.0'));
      await h.waitForStatus(id, 'WAITING_APPROVAL');
      expect((await h.stack.approvals.approve({ deploymentId: id, user: 'U-LEAD', via: 'cli', now: new Date() })).kind).toBe('approved');
      expect((await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 30_000 })).status).toBe('SUCCEEDED');
      expect(lost).toEqual(['start:0', 'start:1', 'start:3', 'check:3', 'start:4', 'start:5']);

      const after = calls();
      const delta = (key: string) => (after[key] ?? 0) - (before[key] ?? 0);
      expect(delta('ecs:RegisterTaskDefinition')).toBe(1);
      expect(delta('ecs:CreateTaskSet')).toBe(2);
      // The demo ALB forwards to the canary pair from one rule and the listener's default action:
      // each written once per routing stage, though both routing starts ran twice.
      expect(delta('elbv2:ModifyRule')).toBe(2);
      expect(delta('elbv2:ModifyListener')).toBe(2);
      expect(delta('ecs:UpdateServicePrimaryTaskSet')).toBe(1);
      expect(delta('ecs:DeleteTaskSet')).toBe(2);

      const record = await h.stack.core.history.getDeployment(id);
      expect(record?.status).toBe('SUCCESS');
      expect(record?.state?.createdTaskSetIds).toHaveLength(2);
      const live = h.stack.cloud.emulator.inspect.taskSetsOf('demo', 'canary').filter((s) => s.status !== 'DRAINING');
      expect(live.map((s) => s.id)).toEqual([record?.state?.primaryTaskSetId]);
      const seen = h.stack.cloud.emulator.probe({ listenerArn: h.stack.topology!.listenerArn, requests: 50, path: '/canary/' });
      expect(seen.outcomes['503']).toBe(0);
      expect(Object.keys(seen.byVersion)).toEqual([record?.state?.taskDefinitionArn]);
    } finally {
      undo();
    }
  });
});
