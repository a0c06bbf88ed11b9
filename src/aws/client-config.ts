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

export function localClientConfig(endpoint: string, maxAttempts = 3): AwsClientConfig {
  return { region: LOCAL_REGION, endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts };
}
