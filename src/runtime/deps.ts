import type { AwsClientConfig, AwsClientConfigs } from '../aws/client-config.js';
import { createDocumentClient } from '../aws/dynamodb.js';
import { createEventBridgeClient, EventBridgePublisher } from '../aws/eventbridge.js';
import { createSfnClient, SfnWorkflow } from '../aws/sfn.js';
import { createAwsStagePorts } from '../aws/stage-ports.js';
import type { Config, Secrets } from '../config/index.js';
import { ConfigError } from '../errors.js';
import { cachedAncestry, type AncestryPort } from '../gitops/ancestry.js';
import { GithubAncestry } from '../gitops/github-ancestry.js';
import { githubCredentialSecret, githubTokenProvider } from '../gitops/github-credentials.js';
import { DynamoHistoryStore } from '../history/dynamo-store.js';
import type { StepcdLogger } from '../logging.js';
import { createNotifier, type Notifier } from '../notify/notifier.js';
import type { OrchestratorDeps, StageTaskDeps } from '../orchestrator/index.js';

/**
 * The one place that turns configuration into ports. Lambda handlers call it with AWS client
 * configs (region only: the SDK resolves the rest); the local cloud calls it with explicit
 * loopback endpoints. Either way the code under test is the code that ships.
 */
export interface DepsContext {
  config: Config;
  clients: AwsClientConfigs;
  secrets: Secrets;
  logger: StepcdLogger;
  /** The local cloud's clock; Date.now on AWS. */
  now?: () => number;
}

export function awsClientConfigs(config: Config): AwsClientConfigs {
  const base: AwsClientConfig = { region: config.region };
  return { ecs: base, elbv2: base, cloudwatch: base, sfn: base, dynamodb: base, events: base, lambda: base, sts: base };
}

/** History, events, workflow and notifier: what every function but the stage one needs. */
export interface CoreDeps {
  history: DynamoHistoryStore;
  events: EventBridgePublisher;
  workflow: SfnWorkflow;
  notifier: Notifier;
}

export interface NotifierTuning {
  /** Slack attempts per call; the interactions endpoint keeps this at 1 to answer within 3 s. */
  slackAttempts?: number;
  slackTimeoutMs?: number;
}

export function buildCoreDeps(ctx: DepsContext, tuning: NotifierTuning = {}): CoreDeps {
  const now = ctx.now ?? Date.now;
  const history = new DynamoHistoryStore(createDocumentClient(ctx.clients.dynamodb), ctx.config.tableName);
  return {
    history,
    events: new EventBridgePublisher(createEventBridgeClient(ctx.clients.events), ctx.config.eventBusName),
    workflow: new SfnWorkflow(createSfnClient(ctx.clients.sfn), ctx.config.stateMachineArn),
    notifier: createNotifier({
      history,
      logger: ctx.logger,
      ...(ctx.secrets.slackBotToken ? { botToken: ctx.secrets.slackBotToken } : {}),
      ...(ctx.config.slack.incomingWebhookUrl ? { incomingWebhookUrl: ctx.config.slack.incomingWebhookUrl } : {}),
      ...(ctx.config.slack.apiUrl ? { apiUrl: ctx.config.slack.apiUrl } : {}),
      ...(ctx.config.slack.defaultChannel ? { defaultChannel: ctx.config.slack.defaultChannel } : {}),
      ...(ctx.config.dashboardUrl ? { dashboardUrl: ctx.config.dashboardUrl } : {}),
      now: () => new Date(now()),
      ...(tuning.slackAttempts ? { maxAttempts: tuning.slackAttempts } : {}),
      ...(tuning.slackTimeoutMs ? { timeoutMs: tuning.slackTimeoutMs } : {}),
    }),
  };
}

export function buildOrchestratorDeps(ctx: DepsContext, overrides: { ancestry?: AncestryPort } = {}): OrchestratorDeps {
  const now = ctx.now ?? Date.now;
  return { ...buildCoreDeps(ctx), ancestry: overrides.ancestry ?? githubAncestry(ctx), now: () => new Date(now()), logger: ctx.logger };
}

/**
 * Ancestry from GitHub's compare API, with the webhook's repository and credential. Without a
 * credential, Begin fails with a ConfigError the first time it must compare two commits (a lone
 * deployment of an app never does).
 */
function githubAncestry(ctx: DepsContext): AncestryPort {
  const [repo] = ctx.config.github.repos;
  const secret = githubCredentialSecret(ctx.config.github);
  if (!repo || !ctx.secrets[secret]) {
    return {
      compare: () =>
        Promise.reject(
          new ConfigError(
            `cannot compare commits: set STEPCD_GITHUB_REPOS and the GitHub ${secret} for this function (ancestry decides which commit is newer)`,
          ),
        ),
    };
  }
  const auth = githubTokenProvider(ctx.config.github, ctx.secrets, ctx.now ? { now: ctx.now } : {});
  return cachedAncestry(new GithubAncestry({ repo, auth, ...(ctx.config.github.apiUrl ? { baseUrl: ctx.config.github.apiUrl } : {}) }));
}

export function buildStageTaskDeps(ctx: DepsContext): StageTaskDeps {
  const now = ctx.now ?? Date.now;
  return {
    history: new DynamoHistoryStore(createDocumentClient(ctx.clients.dynamodb), ctx.config.tableName),
    ports: createAwsStagePorts({
      ecs: ctx.clients.ecs,
      elbv2: ctx.clients.elbv2,
      cloudwatch: ctx.clients.cloudwatch,
      // KMS shares the region (and, locally, the one AWS port) of the ECS client.
      ...(ctx.config.kmsKeyArn && { kms: { config: ctx.clients.ecs, keyId: ctx.config.kmsKeyArn } }),
      now,
      log: (message, fields) => ctx.logger.info(message, { ...fields }),
    }),
  };
}

/** Builds a value once, on first use: deps are made per cold start, after secrets are fetched. */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
