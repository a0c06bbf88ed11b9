import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSummary } from '../reliability/support/summary.js';
import { postSignedWebhook } from '../../src/cli/push-webhook.js';
import { pushFailureIdFor } from '../../src/gitops/trigger.js';
import { deploymentIdFor } from '../../src/plan/ids.js';
import { buildPush } from '../support/github.js';
import { exampleFiles } from '../support/examples.js';
import { REPO, startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';

/**
 * Issue 12 (3): no push fails in silence. Every app of a push ends in a record and an event, or in
 * an error the response calls retryable; the HTTP status says which. Through the real webhook, the
 * real planner and the emulator's real refusals.
 */
const summary = createSummary('issue 12: failures while triggering');

describe('failures while triggering end in a record, an event and a status that says so', () => {
  let h: StackHarness;

  beforeAll(async () => {
    h = await startStackHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const recordOf = (configPath: string, sha: string) => h.stack.core.history.getDeployment(deploymentIdFor({ repo: REPO, configPath, sha }));

  it('fail: a cluster that does not exist → TRIGGER_FAILED naming servicedef.yaml: cluster, one event, no execution; the other app of the push starts', async () => {
    await summary.track('cluster missing', 'TRIGGER_FAILED + event, other app starts', async () => {
      const files = await exampleFiles(['simple', 'canary']);
      files['apps/canary/servicedef.yaml'] = files['apps/canary/servicedef.yaml']!.replace('cluster: demo', 'cluster: nowhere');
      const mutatingBefore = h.stack.cloud.emulator.calls.count({ mutating: true });
      const res = await h.push(files, 'two apps, one on a missing cluster');

      expect(res.status).toBe(200);
      expect(res.body.status).toBe('trigger_failed');
      const canary = res.body.apps?.find((a) => a.app === 'canary');
      expect(canary).toMatchObject({ status: 'TRIGGER_FAILED' });
      const record = await recordOf('apps/canary/app.pipecd.yaml', res.sha);
      expect(record).toMatchObject({ status: 'TRIGGER_FAILED', deploymentId: canary!.deploymentId });
      expect(record?.reason).toBe('apps/canary/servicedef.yaml: cluster names cluster nowhere, which does not exist (create it first, or fix the name)');
      expect(h.eventsOf(canary!.deploymentId)).toEqual(['DEPLOYMENT_TRIGGER_FAILED']);

      const simple = res.body.apps?.find((a) => a.app === 'simple');
      expect(simple?.status).toBe('STARTED');
      expect((await h.stack.cloud.sfn.waitForExecution(simple!.executionArn!, { timeoutMs: 30_000 })).status).toBe('SUCCEEDED');
      const executions = h.stack.cloud.sfn.listExecutions({ stateMachineArn: h.stack.stateMachineArn });
      expect(executions.map((e) => e.executionArn)).toEqual([simple!.executionArn]);
      // Only the simple app's deployment mutated anything; nothing was created for the canary.
      expect(h.stack.cloud.emulator.inspect.taskSetsOf('demo', 'canary')).toEqual([]);
      expect(h.stack.cloud.emulator.calls.count({ mutating: true })).toBeGreaterThan(mutatingBefore);
    });
  });

  it('fail: a push naming a commit the repository does not have → 422, one TRIGGER_FAILED record and event for the push', async () => {
    await summary.track('commit missing', '422, one record and event', async () => {
      const missing = 'f'.repeat(40);
      const payload = buildPush({ repo: REPO, before: 'e'.repeat(40), after: missing, changed: { modified: ['apps/simple/taskdef.yaml'] } });
      const reply = await postSignedWebhook(`${h.stack.front.url}/webhooks/github`, h.stack.secrets.githubWebhookSecret, payload, {
        delivery: 'delivery-missing',
      });

      expect(reply.status).toBe(422);
      const id = pushFailureIdFor({ repo: REPO, after: missing }, { deploymentIdFor });
      expect(reply.body).toMatchObject({ status: 'trigger_failed', deploymentId: id });
      expect(String(reply.body.error)).toMatch(/^commit fffffff is not in local\/manifests: /);
      const record = await h.stack.core.history.getDeployment(id);
      expect(record).toMatchObject({ status: 'TRIGGER_FAILED', commit: { sha: missing } });
      expect(h.eventsOf(id)).toEqual(['DEPLOYMENT_TRIGGER_FAILED']);

      // A redelivery answers the same and records nothing twice.
      const again = await postSignedWebhook(`${h.stack.front.url}/webhooks/github`, h.stack.secrets.githubWebhookSecret, payload, {
        delivery: 'delivery-missing',
      });
      expect(again.status).toBe(422);
      expect(h.eventsOf(id)).toEqual(['DEPLOYMENT_TRIGGER_FAILED']);
    });
  });

  it('fail: ECS throttling the service lookup past every retry → 502 with retryable: true and no record; the redelivery starts the app', async () => {
    await summary.track('ECS throttled past retries', '502 retryable, redelivery starts it', async () => {
      h.stack.cloud.emulator.faults.inject({ service: 'ecs', operation: 'DescribeServices', kind: 'throttle', times: 10 });
      const res = await h.bumpImage('simple', '2.0.1');
      h.stack.cloud.emulator.faults.clear();

      expect(res.status).toBe(502);
      expect(res.body.status).toBe('partial');
      const app = res.body.apps?.[0] as { status: string; retryable?: boolean; deploymentId: string };
      expect(app).toMatchObject({ status: 'ERROR', retryable: true });
      expect(await h.stack.core.history.getDeployment(app.deploymentId)).toBeUndefined();
      expect(h.eventsOf(app.deploymentId)).toEqual([]);

      const payload = buildPush({ repo: REPO, before: 'HEAD', after: res.sha, changed: { modified: ['apps/simple/taskdef.yaml'] } });
      const redelivered = await postSignedWebhook(`${h.stack.front.url}/webhooks/github`, h.stack.secrets.githubWebhookSecret, payload, {
        delivery: `delivery-${res.sha}`,
      });
      expect(redelivered.status).toBe(200);
      const started = redelivered.body.apps?.[0];
      expect(started).toMatchObject({ status: 'STARTED', deploymentId: app.deploymentId });
      expect((await h.stack.cloud.sfn.waitForExecution(started!.executionArn!, { timeoutMs: 30_000 })).status).toBe('SUCCEEDED');
    });
  });
});
