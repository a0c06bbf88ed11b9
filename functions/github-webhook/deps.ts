import { LambdaClient } from '@aws-sdk/client-lambda';
import type { AwsClientConfig } from '../../src/aws/client-config.js';
import { createDocumentClient } from '../../src/aws/dynamodb.js';
import { createEcsAdapter } from '../../src/aws/ecs.js';
import { createEventBridgeClient, EventBridgePublisher } from '../../src/aws/eventbridge.js';
import { createSfnClient, SfnWorkflow } from '../../src/aws/sfn.js';
import type { Config } from '../../src/config/index.js';
import { ConfigError } from '../../src/errors.js';
import { ManifestPlanner, serviceLookupOver } from '../../src/gitops/app-planner.js';
import { LambdaSelfInvokeDeferrer } from '../../src/gitops/deferrers.js';
import { GithubSource } from '../../src/gitops/github-source.js';
import type { WebhookDeps } from '../../src/gitops/webhook.js';
import { DynamoHistoryStore } from '../../src/history/dynamo-store.js';
import type { StepcdLogger } from '../../src/logging.js';

/**
 * Builds the webhook's dependencies on AWS. Clients are cached per warm container; the secrets may
 * change on an SSM cache refresh, so the GitHub client is rebuilt when the token does.
 */
let cached: { token: string; deps: Omit<WebhookDeps, 'secret'> } | undefined;

export function productionDeps(config: Config, secrets: { webhookSecret: string; githubToken: string }, logger: StepcdLogger): WebhookDeps {
  if (cached?.token !== secrets.githubToken) cached = { token: secrets.githubToken, deps: build(config, secrets.githubToken, logger) };
  return { ...cached.deps, secret: secrets.webhookSecret };
}

function build(config: Config, githubToken: string, logger: StepcdLogger): Omit<WebhookDeps, 'secret'> {
  const [repo, ...more] = config.github.repos;
  // One webhook function serves one repository: manifests are read from it by the pushed sha.
  if (!repo || more.length > 0) throw new ConfigError('STEPCD_GITHUB_REPOS must name exactly one owner/name repository');
  if (!config.webhookFunctionName) throw new ConfigError('AWS_LAMBDA_FUNCTION_NAME is not set: large pushes could not be deferred');
  const aws = (service: keyof NonNullable<Config['endpoints']>): AwsClientConfig => ({
    region: config.region,
    ...(config.endpoints?.[service] ? { endpoint: config.endpoints[service] } : {}),
  });
  return {
    tracking: config.github,
    source: new GithubSource({ repo, token: githubToken, ...(config.github.apiUrl ? { baseUrl: config.github.apiUrl } : {}) }),
    planner: new ManifestPlanner(serviceLookupOver(createEcsAdapter(aws('ecs')))),
    history: new DynamoHistoryStore(createDocumentClient(aws('dynamodb')), config.tableName),
    workflow: new SfnWorkflow(createSfnClient(aws('sfn')), config.stateMachineArn),
    events: new EventBridgePublisher(createEventBridgeClient(aws('events')), config.eventBusName),
    deferrer: new LambdaSelfInvokeDeferrer(new LambdaClient(aws('lambda')), config.webhookFunctionName),
    logger,
    now: () => new Date(),
  };
}
