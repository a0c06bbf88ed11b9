import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSfnClient, type SfnClient } from '../../src/aws/sfn.js';
import { SfnWaitTokens } from '../../src/aws/wait-tokens.js';
import { startLocalCloud, type LocalCloud } from '../../src/local/cloud.js';

describe('Class: SfnWaitTokens', () => {
  let cloud: LocalCloud;
  let client: SfnClient;

  beforeAll(async () => {
    cloud = await startLocalCloud();
    client = createSfnClient(cloud.clientConfigs.sfn);
  });
  afterAll(async () => {
    await cloud.stop();
  });

  it('answers false for a token Step Functions does not know (InvalidToken): already handled', async () => {
    const tokens = new SfnWaitTokens(client);
    await expect(tokens.resume('stepcd-local-token:never-issued', { woke: 'event' })).resolves.toBe(false);
    await expect(tokens.fail('not-a-token-at-all', 'stepcd.StabilizeFailed', 'tasks stopped')).resolves.toBe(false);
  });

  it('throws when Step Functions cannot be reached: the event delivery is retried', async () => {
    const unreachable = createSfnClient({ ...cloud.clientConfigs.sfn, endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
    await expect(new SfnWaitTokens(unreachable).resume('stepcd-local-token:x', {})).rejects.toThrow(/resuming a stored wait/);
  });
});
