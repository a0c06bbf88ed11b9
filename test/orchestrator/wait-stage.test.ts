import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamoHistoryStore } from '../../src/aws/history/dynamo-history-store.js';
import type { DeploymentPlan } from '../../src/domain/plan.js';
import { newDeploymentRecord } from '../../src/history/records.js';
import type { LocalDynamo } from '../../src/local/dynamo.js';
import { advance, type OrchestratorDeps } from '../../src/orchestrator/index.js';
import { openWaitStage } from '../../src/orchestrator/wait-stage.js';
import { orchestratorDepsAt, planOf, T0 } from '../support/orchestrator.js';
import { startHistory } from '../support/stacks/history.js';

function planWithWait(id: string, durationSeconds: number, timeoutSeconds = 21_600): DeploymentPlan {
  return planOf(id, [{ index: 0, name: 'WAIT', with: { durationSeconds } }], timeoutSeconds);
}

describe('WAIT as one task-token wait', () => {
  let dynamo: LocalDynamo;
  let history: DynamoHistoryStore;
  const resumed: string[] = [];
  // Records what the stage resumes: the outcome under test is that a WAIT past its end ends at once.
  const tokens = {
    resume: async (token: string) => (resumed.push(token), true),
    fail: () => Promise.reject(new Error('a WAIT never fails its own token')),
  };
  const depsAt = (ms: number): OrchestratorDeps => orchestratorDepsAt(history, ms);

  beforeAll(async () => {
    ({ dynamo, history } = await startHistory());
  });
  afterAll(async () => {
    await dynamo?.stop();
  });

  async function open(plan: DeploymentPlan, atMs: number) {
    await history.createDeployment(newDeploymentRecord(plan, new Date(T0)));
    return advance({ plan, state: { createdTaskSetIds: [], routedRuleArns: [], touched: false }, cursor: { index: -1 } }, depsAt(atMs));
  }

  it('times the whole WAIT as one timeout, bounded by spec.timeout', async () => {
    expect((await open(planWithWait('d-hour', 3600), T0)).cursor.waitSeconds).toBe(3600);
    const late = await open(planWithWait('d-cut', 3600, 600), T0 + 590_000);
    expect(late.cursor).toMatchObject({ waitSeconds: 10, waitCutShort: true });
  });

  it('stores the token where a cancel finds it, keyed on no event, and leaves it waiting', async () => {
    const data = await open(planWithWait('d-store', 3600), T0);
    await openWaitStage(data, 'token-store', { history, tokens, now: () => T0 + 1_000 });
    expect(await history.currentWait('d-store')).toMatchObject({
      taskToken: 'token-store',
      stageIndex: 0,
      target: { kind: 'duration', durationSeconds: 3600 },
    });
    expect(resumed).not.toContain('token-store');
  });

  it('fails with stepcd.Cancelled when the cancel came before the token was stored, and closes it', async () => {
    const data = await open(planWithWait('d-cancel', 3600), T0);
    await history.requestCancel('d-cancel', 'ops');
    await expect(openWaitStage(data, 'token-cancel', { history, tokens, now: () => T0 + 1_000 })).rejects.toMatchObject({
      name: 'stepcd.Cancelled',
      message: 'cancelled by ops during WAIT',
    });
    expect(await history.currentWait('d-cancel')).toBeUndefined();
  });

  it('ends at once when opened past its end (a retry after the timeout should have fired)', async () => {
    const data = await open(planWithWait('d-over', 60), T0);
    await openWaitStage(data, 'token-over', { history, tokens, now: () => T0 + 61_000 });
    expect(resumed).toContain('token-over');
    expect(await history.currentWait('d-over')).toBeUndefined();
  });
});
