import { describe, expect, it } from 'vitest';
import { productionDeps } from '../../src/runtime/webhook.js';
import { localClientConfig, type AwsClientConfigs } from '../../src/aws/client-config.js';
import type { Config, Secrets } from '../../src/config/index.js';
import { ErrorName } from '../../src/errors.js';
import { createLogger } from '../../src/logging.js';

// Building deps makes SDK clients but sends nothing; the endpoint is a closed loopback port anyway.
const local = localClientConfig('http://127.0.0.1:1');
const clients: AwsClientConfigs = { ecs: local, elbv2: local, cloudwatch: local, sfn: local, dynamodb: local, events: local, lambda: local, sts: local };
const logger = createLogger('test', { logLevel: 'SILENT' });
const config = (over: Partial<Config['github']> = {}): Config => ({
  region: 'us-east-1',
  tableName: 'stepcd',
  eventBusName: 'stepcd',
  stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:deploy',
  github: { repos: ['acme/deploys'], branches: [], deployTags: false, ...over },
  slack: {},
  webhookFunctionName: 'stepcd-github-webhook',
});
const deps = (c: Config, secrets: Secrets) => productionDeps({ config: c, clients, secrets, logger });

describe('productionDeps', () => {
  it.each<[string, Config, Secrets, RegExp]>([
    ['fail: no webhook secret', config(), { githubToken: 'ghp_x' }, /githubWebhookSecret/],
    [
      'fail: a GitHub App configured but only a token given',
      config({ app: { appId: '1', installationId: '2' } }),
      { githubWebhookSecret: 'w', githubToken: 'ghp_x' },
      /githubAppPrivateKey/,
    ],
    ['fail: no GitHub token', config(), { githubWebhookSecret: 'w' }, /githubToken/],
    ['fail: two repositories', config({ repos: ['acme/a', 'acme/b'] }), { githubWebhookSecret: 'w', githubToken: 'ghp_y' }, /exactly one/],
  ])('%s refuses with ConfigError', (_name, c, secrets, message) => {
    expect(() => deps(c, secrets)).toThrow(expect.objectContaining({ name: ErrorName.Config, message: expect.stringMatching(message) }));
  });

  it('keeps the built ports across invocations, reading the webhook secret each time', () => {
    const c = config();

    const first = deps(c, { githubWebhookSecret: 'w1', githubToken: 'ghp_1' });
    const second = deps(c, { githubWebhookSecret: 'w2', githubToken: 'ghp_1' });

    expect(second.source).toBe(first.source);
    expect(second.history).toBe(first.history);
    expect([first.secret, second.secret]).toEqual(['w1', 'w2']);
  });

  it('rebuilds the GitHub client when the credential rotates', () => {
    const c = config();

    const before = deps(c, { githubWebhookSecret: 'w', githubToken: 'ghp_old' });
    const after = deps(c, { githubWebhookSecret: 'w', githubToken: 'ghp_new' });

    expect(after.source).not.toBe(before.source);
  });
});
