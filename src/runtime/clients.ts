import { localClientConfig, type AwsClientConfig, type AwsClientConfigs } from '../aws/client-config.js';

/**
 * Client configs on AWS: the region, and the named profile when the CLI is given one. The SDK
 * resolves the rest (endpoints, the credential chain), so nothing here writes the environment.
 */
export function awsClientConfigs(target: { region: string; profile?: string }): AwsClientConfigs {
  const base: AwsClientConfig = { region: target.region, ...(target.profile ? { profile: target.profile } : {}) };
  return { ecs: base, elbv2: base, cloudwatch: base, sfn: base, dynamodb: base, events: base, lambda: base, sts: base };
}

/** Where the local cloud listens: one AWS endpoint for every service but DynamoDB (dynalite). */
export interface LocalEndpointUrls {
  awsUrl: string;
  dynamoUrl: string;
}

/**
 * Client configs for the local cloud: explicit endpoints and static credentials whose access key
 * names `principal` (see localClientConfig). The local stack, its tests and `stepcd --local` share it.
 */
export function localClientConfigs(urls: LocalEndpointUrls, principal?: string, maxAttempts = 3): AwsClientConfigs {
  const aws = localClientConfig(urls.awsUrl, maxAttempts, principal);
  return {
    ecs: aws,
    elbv2: aws,
    cloudwatch: aws,
    sfn: { ...aws, disableHostPrefix: true },
    events: aws,
    lambda: aws,
    sts: aws,
    dynamodb: localClientConfig(urls.dynamoUrl, maxAttempts, principal),
  };
}
