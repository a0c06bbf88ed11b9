import { ElasticLoadBalancingV2Client, DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCallerIdentity } from '../../src/aws/caller-identity.js';
import { localClientConfig } from '../../src/aws/client-config.js';
import { startLocalCloud, type LocalCloud } from '../../src/local/cloud.js';
import { LOCAL_CALLER_ARN } from '../../src/local/sts/index.js';

describe('Adapter: caller identity (STS GetCallerIdentity on the local cloud)', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startLocalCloud();
  });
  afterAll(() => cloud.stop());

  it('answers the local operator by default, over the real SDK client', async () => {
    const identity = createCallerIdentity(cloud.clientConfigs.sts);
    expect(await identity.callerArn()).toBe(LOCAL_CALLER_ARN);
  });

  it('asks STS once and then answers from the cache', async () => {
    const before = cloud.sts.calls.length;
    const identity = createCallerIdentity(cloud.clientConfigs.sts);
    const answers = await Promise.all([identity.callerArn(), identity.callerArn()]);
    await identity.callerArn();
    expect(answers).toEqual([LOCAL_CALLER_ARN, LOCAL_CALLER_ARN]);
    expect(cloud.sts.calls.length - before).toBe(1);
  });

  it('tells callers apart by the key they sign with', async () => {
    cloud.sts.setIdentity('alice-key', 'arn:aws:sts::000000000000:assumed-role/ops/alice');
    const alice = { ...localClientConfig(cloud.url), credentials: { accessKeyId: 'alice-key', secretAccessKey: 'x' } };
    expect(await createCallerIdentity(alice).callerArn()).toBe('arn:aws:sts::000000000000:assumed-role/ops/alice');
    expect(await createCallerIdentity(cloud.clientConfigs.sts).callerArn()).toBe(LOCAL_CALLER_ARN);
  });

  it('fails with what it was doing when STS cannot be reached, and asks again next time', async () => {
    const identity = createCallerIdentity({ ...localClientConfig('http://127.0.0.1:9'), maxAttempts: 1 });
    await expect(identity.callerArn()).rejects.toThrow(/GetCallerIdentity/);
    await expect(identity.callerArn()).rejects.toThrow(/GetCallerIdentity/);
  });

  it('refuses the STS actions it does not offer with InvalidAction, and leaves ELBv2 to the emulator', async () => {
    const sts = new STSClient(cloud.clientConfigs.sts);
    await expect(sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::000000000000:role/x', RoleSessionName: 's' }))).rejects.toMatchObject({
      name: 'InvalidAction',
    });
    sts.destroy();
    const elbv2 = new ElasticLoadBalancingV2Client(cloud.clientConfigs.elbv2);
    await expect(elbv2.send(new DescribeLoadBalancersCommand({}))).resolves.toMatchObject({ LoadBalancers: [] });
    elbv2.destroy();
  });
});
