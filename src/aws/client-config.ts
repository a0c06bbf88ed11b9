/**
 * The config every AWS SDK client in stepcd is built from. In local mode the endpoint is always set
 * explicitly, which wins over a stray AWS_ENDPOINT_URL(_<SERVICE>) in the environment; static
 * credentials stop the SDK from walking the credential chain (and reaching for the network).
 */
export interface AwsClientConfig {
  region: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  maxAttempts?: number;
  /** A named profile of the shared AWS config files (the CLI's `--profile`), read by the SDK's credential chain. */
  profile?: string;
  /**
   * SFN only, locally: without it the SDK prefixes some operations' host (`sync-127.0.0.1`), which
   * does not resolve. Harmless for the operations stepcd uses on AWS; `new SFNClient(config)` takes it as is.
   */
  disableHostPrefix?: boolean;
}

/** `sts` is the caller's identity (GetCallerIdentity), which the CLI records as the actor. */
export type AwsService = 'ecs' | 'elbv2' | 'cloudwatch' | 'sfn' | 'dynamodb' | 'events' | 'lambda' | 'sts';

export type AwsClientConfigs = Record<AwsService, AwsClientConfig>;

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_ACCOUNT = '000000000000';
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * Locally the access key id names the caller (`stage`, `github-webhook`, `cli`, ...): it rides in
 * every SigV4 `Credential=`, so the local cloud can attribute each request to the role that would
 * make it on AWS (test/iam simulates them). `local` is the unattributed default (tests, seeding).
 */
export function localClientConfig(endpoint: string, maxAttempts = 3, principal = LOCAL_CREDENTIALS.accessKeyId): AwsClientConfig {
  return { region: LOCAL_REGION, endpoint, credentials: { ...LOCAL_CREDENTIALS, accessKeyId: principal }, maxAttempts };
}

/** The same configs, signed as `principal` (local mode only: AWS configs carry no credentials). */
export function asPrincipal(configs: AwsClientConfigs, principal: string): AwsClientConfigs {
  const signed = Object.entries(configs).map(([service, config]) => [
    service,
    config.credentials ? { ...config, credentials: { ...config.credentials, accessKeyId: principal } } : config,
  ]);
  return Object.fromEntries(signed) as AwsClientConfigs;
}
