import middy from '@middy/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClientConfig } from '../../src/aws/client-config.js';
import { requireSecret, SECRET_PARAMETER_ENV, secretParameterNames, secretsFromContext, secretsMiddleware, staticSecrets } from '../../src/config/secrets.js';
import type { Secrets } from '../../src/config/index.js';
import { ErrorName } from '../../src/errors.js';
import { SsmStandin } from './ssm-standin.js';

describe('secretParameterNames', () => {
  const env = {
    STEPCD_SECRET_GITHUB_WEBHOOK: '/stepcd/github-webhook',
    STEPCD_SECRET_GITHUB_APP_KEY: '/stepcd/github-app-key',
    STEPCD_SECRET_SLACK_BOT_TOKEN: '',
  };

  it('success: names each wanted secret by the parameter its env var gives, omitting absent optional ones', () => {
    const names = secretParameterNames({ required: ['githubWebhookSecret'], optional: ['githubAppPrivateKey', 'slackBotToken', 'slackSigningSecret'] }, env);

    expect(names).toEqual({ githubWebhookSecret: '/stepcd/github-webhook', githubAppPrivateKey: '/stepcd/github-app-key' });
  });

  it.each([
    ['githubToken', 'STEPCD_SECRET_GITHUB_TOKEN'],
    ['slackBotToken', 'STEPCD_SECRET_SLACK_BOT_TOKEN'],
  ] as const)('fail: a required %s that is not named throws ConfigError naming %s', (key, variable) => {
    const call = () => secretParameterNames({ required: ['githubWebhookSecret', key] }, env);

    expect(call).toThrow(expect.objectContaining({ name: ErrorName.Config, message: expect.stringContaining(variable) }));
  });

  it('names the GitHub App key setting STEPCD_SECRET_GITHUB_APP_KEY', () => {
    expect(SECRET_PARAMETER_ENV.githubAppPrivateKey).toBe('STEPCD_SECRET_GITHUB_APP_KEY');
  });
});

describe('secretsFromContext', () => {
  it('keeps the non-empty string secrets and drops everything else', () => {
    const context = { githubWebhookSecret: 'w', githubAppPrivateKey: '-----BEGIN', slackBotToken: '', slackSigningSecret: 42, functionName: 'f' };

    expect(secretsFromContext(context)).toEqual({ githubWebhookSecret: 'w', githubAppPrivateKey: '-----BEGIN' });
  });
});

describe('requireSecret', () => {
  const secrets: Secrets = staticSecrets({ githubToken: 'ghp_x', slackBotToken: undefined });

  it('success: returns a present secret', () => {
    expect(requireSecret(secrets, 'githubToken')).toBe('ghp_x');
  });

  it('fail: throws ConfigError naming a missing secret, never a value', () => {
    expect(() => requireSecret(secrets, 'slackBotToken')).toThrow(
      expect.objectContaining({ name: ErrorName.Config, message: expect.stringContaining('slackBotToken') }),
    );
    expect(() => requireSecret({ githubToken: '' }, 'githubToken')).toThrow(/githubToken/);
  });
});

describe('secretsMiddleware', () => {
  let ssm: SsmStandin;
  // The Lambda context as middy needs it (the remaining time, for its early-timeout guard).
  const context = () => ({ getRemainingTimeInMillis: () => 10_000 }) as unknown as Parameters<ReturnType<typeof handlerFor>>[1];

  beforeAll(async () => {
    ssm = await new SsmStandin({
      '/stepcd/webhook': 'hook-secret',
      '/stepcd/app-key': '-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----\n',
    }).start();
  });
  afterAll(async () => {
    await ssm.stop();
  });

  const handlerFor = (names: Record<string, string>, cacheKey: string) =>
    middy<unknown, Secrets>()
      .use(secretsMiddleware(names, { client: localClientConfig(ssm.url), cacheKey }))
      .handler(async (_event, ctx) => secretsFromContext(ctx));

  it('fetches decrypted parameters once and serves two invocations from the cache', async () => {
    const before = ssm.calls.length;
    const handler = handlerFor({ githubWebhookSecret: '/stepcd/webhook', githubAppPrivateKey: '/stepcd/app-key' }, 'test-cache-once');

    const first = await handler({}, context());
    const second = await handler({}, context());

    const expected = { githubWebhookSecret: 'hook-secret', githubAppPrivateKey: '-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----\n' };
    expect(first).toEqual(expected);
    expect(second).toEqual(expected);
    const calls = ssm.calls.slice(before);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toEqual({ target: 'AmazonSSM.GetParameters', names: ['/stepcd/webhook', '/stepcd/app-key'], withDecryption: true });
  });

  it('fails the invocation when a named parameter does not exist, instead of running without it', async () => {
    const handler = handlerFor({ githubWebhookSecret: '/stepcd/missing' }, 'test-cache-missing');

    const err = await handler({}, context()).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(Error);
    expect(JSON.stringify((err as Error).cause, (_k, v: unknown) => (v instanceof Error ? v.message : v))).toContain('InvalidParameter /stepcd/missing');
  });
});
