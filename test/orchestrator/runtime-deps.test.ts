import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApprovalService } from '../../src/runtime/approval.js';
import { createLogger } from '../../src/logging.js';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';

/**
 * The approval Lambdas build their service through the composition root (src/runtime) like every other function.
 * Given the local cloud's client configs (explicit endpoints, static credentials), that service must
 * reach the same DynamoDB table, state machine and bus as the stack: here it approves a deployment
 * the stack's own service never touches.
 */
describe('buildApprovalService', () => {
  let h: StackHarness;

  beforeAll(async () => {
    h = await startStackHarness();
    await h.deployBaseline(await exampleFiles(['canary']), 'add canary');
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('builds a service over the given client configs that answers a waiting approval end to end', async () => {
    const { id, arn } = await h.deploy(await h.imageBump('canary', '9.0.0'));
    await h.waitForStatus(id, 'WAITING_APPROVAL');
    const service = buildApprovalService(
      {
        config: h.stack.config,
        secrets: {},
        logger: createLogger('test', { logLevel: 'SILENT' }),
        clients: h.stack.cloud.clientConfigs,
        now: () => h.stack.cloud.clock.now(),
      },
      { slackAttempts: 1 },
    );

    expect(await service.approve({ deploymentId: id, user: 'U-LEAD', via: 'cli', now: new Date() })).toMatchObject({ kind: 'approved' });
    expect((await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 30_000 })).status).toBe('SUCCEEDED');
    expect(h.eventsOf(id)).toContain('DEPLOYMENT_APPROVED');
    expect((await h.stack.core.history.getDeployment(id))?.approvals.map((a) => a.user)).toEqual(['U-LEAD']);
  });
});
