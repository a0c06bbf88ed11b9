import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeploymentLiveReader } from '../../src/aws/deployment-live.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { sampleRecord } from '../slack/fixtures.js';

/** The live read over the SDK clients against the local cloud's SFN, ECS and ELBv2. */
describe('live read of a deployment', () => {
  let h: StackHarness;
  let reader: ReturnType<typeof createDeploymentLiveReader>;

  beforeAll(async () => {
    h = await startStackHarness();
    reader = createDeploymentLiveReader(h.stack.cloud.clientConfigs);
  });
  afterAll(async () => {
    reader?.close();
    await h?.stop();
  });

  it('success: a service that does not exist yet (a first deployment) has no task sets and no rules', async () => {
    // An execution whose input names a service the cluster does not have; it fails fast, its input stays.
    const input = { serviceDefinition: { cluster: 'demo', serviceName: 'not-yet' }, targetGroups: {} };
    const { executionArn } = await h.stack.core.workflow.startExecution('live-read-missing-service', input);
    const live = await reader.read(sampleRecord({ executionArn }));
    expect(live).toEqual({ cluster: 'demo', serviceName: 'not-yet', taskSets: [], rules: [], targetGroups: {} });
  });

  it('fail: no execution yet, nothing to read', async () => {
    expect(await reader.read(sampleRecord())).toBeUndefined();
  });

  it('fail: an execution that does not exist is an error the page can show', async () => {
    const arn = 'arn:aws:states:us-east-1:000000000000:execution:stepcd-local-deployment:nope';
    await expect(reader.read(sampleRecord({ executionArn: arn }))).rejects.toThrow(/reading the input of execution/);
  });
});
