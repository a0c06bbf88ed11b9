import type middy from '@middy/core';
import { canPrefetch, clearCache, getInternal, processCache } from '@middy/util';
import type { AwsClientConfig } from '../aws/client-config.js';
import { getParameters } from '../aws/ssm-parameters.js';
import { ConfigError } from '../errors.js';
import type { Secrets } from './index.js';

export type SecretName = keyof Secrets;

/** The environment variables naming each secret's SSM parameter (the value never is in the environment). */
export const SECRET_PARAMETER_ENV: Record<SecretName, string> = {
  githubWebhookSecret: 'STEPCD_SECRET_GITHUB_WEBHOOK',
  githubToken: 'STEPCD_SECRET_GITHUB_TOKEN',
  githubAppPrivateKey: 'STEPCD_SECRET_GITHUB_APP_KEY',
  slackBotToken: 'STEPCD_SECRET_SLACK_BOT_TOKEN',
  slackSigningSecret: 'STEPCD_SECRET_SLACK_SIGNING',
};

/** Secrets are re-read from SSM at most this often, so a rotation takes effect within minutes. */
export const SECRET_CACHE_MS = 5 * 60 * 1000;

type Env = Record<string, string | undefined>;

/**
 * Resolves the SSM parameter names of the secrets a function uses. `required` ones must be named,
 * or the function refuses to start (cold start fails with ConfigError, before any request).
 */
export function secretParameterNames(wanted: { required: SecretName[]; optional?: SecretName[] }, env: Env = process.env): Partial<Record<SecretName, string>> {
  const names: Partial<Record<SecretName, string>> = {};
  for (const key of [...wanted.required, ...(wanted.optional ?? [])]) {
    const parameter = env[SECRET_PARAMETER_ENV[key]];
    if (parameter) names[key] = parameter;
    else if (wanted.required.includes(key)) {
      throw new ConfigError(`missing setting ${SECRET_PARAMETER_ENV[key]}: name the SSM parameter holding the ${key}`);
    }
  }
  return names;
}

export interface SecretsMiddlewareOptions {
  region?: string;
  /** The SSM client's config; tests point it at a local stand-in. Wins over `region`. */
  client?: AwsClientConfig;
  /** middy caches per key for the process; one key per function (the default), others in tests. */
  cacheKey?: string;
}

/**
 * The middy middleware that fetches the named parameters (decrypted SecureStrings) in one
 * GetParameters call while the module loads, caches them for SECRET_CACHE_MS (refreshing in the
 * background, as @middy/ssm does, through the same @middy/util cache) and puts them on the Lambda
 * context under their Secrets key. A missing parameter fails the invocation, never runs without it.
 */
export function secretsMiddleware(parameterNames: Partial<Record<SecretName, string>>, options: SecretsMiddlewareOptions = {}): middy.MiddlewareObj {
  // No endpoint: sendSigned resolves AWS_ENDPOINT_URL_SSM (or AWS_ENDPOINT_URL) as the SDK would; tests and
  // the IAM simulation point it at loopback.
  const client = options.client ?? { region: options.region ?? process.env.AWS_REGION ?? 'us-east-1' };
  const cacheOptions = { cacheKey: options.cacheKey ?? 'stepcd-secrets', cacheExpiry: SECRET_CACHE_MS };
  const wanted = Object.entries(parameterNames) as [SecretName, string][];
  const fetchSecrets = (): Record<string, Promise<string>> => {
    if (wanted.length === 0) return {};
    const batch = getParameters(
      wanted.map(([, name]) => name),
      client,
    );
    const values: Record<string, Promise<string>> = {};
    for (const [key, name] of wanted) {
      values[key] = batch.then(({ values: found, invalid }) => {
        const value = found.get(name);
        if (value === undefined || invalid.includes(name)) throw new ConfigError(`InvalidParameter ${name}: SSM holds no parameter for the ${key}`);
        return value;
      });
      // Read the next invocation afresh rather than serving the failure for five minutes.
      values[key].catch(() => clearCache(cacheOptions.cacheKey));
    }
    return values;
  };
  if (canPrefetch(cacheOptions)) processCache(cacheOptions, fetchSecrets);
  return {
    before: async function secretsBefore(request) {
      const { value } = processCache(cacheOptions, fetchSecrets, request);
      Object.assign(request.internal, value);
      Object.assign(request.context, await getInternal(Object.keys(value ?? {}), request));
    },
  };
}

/** Reads the secrets the middleware put on the context; keys it did not fetch are undefined. */
export function secretsFromContext(context: object): Secrets {
  const c = context as Record<string, unknown>;
  const pick = (key: SecretName) => (typeof c[key] === 'string' && c[key] !== '' ? (c[key] as string) : undefined);
  return stripUndefined({
    githubWebhookSecret: pick('githubWebhookSecret'),
    githubToken: pick('githubToken'),
    githubAppPrivateKey: pick('githubAppPrivateKey'),
    slackBotToken: pick('slackBotToken'),
    slackSigningSecret: pick('slackSigningSecret'),
  });
}

/** For the local cloud and tests: the same Secrets object, given directly. */
export function staticSecrets(secrets: Secrets): Secrets {
  return stripUndefined({ ...secrets });
}

export function requireSecret(secrets: Secrets, key: SecretName): string {
  const value = secrets[key];
  if (!value) throw new ConfigError(`secret ${key} is empty or missing; refusing to continue without it`);
  return value;
}

function stripUndefined(secrets: Record<string, string | undefined>): Secrets {
  return Object.fromEntries(Object.entries(secrets).filter(([, v]) => v !== undefined)) as Secrets;
}
