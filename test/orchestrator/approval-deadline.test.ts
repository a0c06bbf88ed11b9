import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentEvent, EventPublisher } from '../../src/domain/events.js';
import type { DeploymentPlan } from '../../src/domain/plan.js';
import type { DynamoHistoryStore } from '../../src/aws/history/dynamo-history-store.js';
import { newDeploymentRecord } from '../../src/history/records.js';
import type { LocalDynamo } from '../../src/local/dynamo.js';
import { orchestratorDepsAt, planOf, T0 } from '../support/orchestrator.js';
import { startHistory } from '../support/stacks/history.js';
import { advance, rollbackBegin, type OrchestratorDeps } from '../../src/orchestrator/index.js';

function planWithApproval(id: string, timeoutSeconds: number): DeploymentPlan {
  return planOf(id, [{ index: 0, name: 'WAIT_APPROVAL', with: { approvers: [], minApproverNum: 1, timeoutSeconds: 3600 } }], timeoutSeconds);
}

/** Events are not under test here; the workflow is never called by Advance or RollbackBegin. */
class Events implements EventPublisher {
  readonly sent: DeploymentEvent[] = [];
  async publish(event: DeploymentEvent) {
    this.sent.push(event);
  }
}

describe('WAIT_APPROVAL and spec.timeout', () => {
  let dynamo: LocalDynamo;
  let history: DynamoHistoryStore;
  const depsAt = (ms: number): OrchestratorDeps => orchestratorDepsAt(history, ms, new Events());

  beforeAll(async () => {
    ({ dynamo, history } = await startHistory());
  });
  afterAll(async () => {
    await dynamo?.stop();
  });

  async function open(id: string, atMs: number, timeoutSeconds: number) {
    const plan = planWithApproval(id, timeoutSeconds);
    await history.createDeployment(newDeploymentRecord(plan, new Date(T0)));
    return advance({ plan, state: { createdTaskSetIds: [], routedRuleArns: [], touched: false }, cursor: { index: -1 } }, depsAt(atMs));
  }

  it('caps the approval timeout at the deployment deadline, and names spec.timeout when it expires', async () => {
    const opened = await open('d-late', T0 + 590_000, 600);

    expect(opened.cursor.stage).toMatchObject({ name: 'WAIT_APPROVAL', with: { timeoutSeconds: 10 } });
    expect(opened.cursor.waitCutShort).toBe(true);
    const failed = await rollbackBegin({ ...opened, error: { Error: 'States.Timeout', Cause: '' } }, depsAt(T0 + 600_500));
    expect(failed.rollback?.reason).toBe('deployment exceeded its timeout of 600s (spec.timeout) while waiting for approval');
  });

  it('leaves the approval timeout alone when the deadline is further away', async () => {
    const opened = await open('d-early', T0 + 1_000, 6 * 3600);

    expect(opened.cursor.stage).toMatchObject({ name: 'WAIT_APPROVAL', with: { timeoutSeconds: 3600 } });
    expect(opened.cursor.waitCutShort).toBeUndefined();
  });
});
