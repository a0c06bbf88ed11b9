import type { AwsClientConfigs } from '../aws/client-config.js';
import { createDocumentClient } from '../aws/dynamodb.js';
import { DynamoHistoryStore } from '../aws/history/dynamo-history-store.js';
import { createEventBridgeClient, EventBridgePublisher } from '../aws/eventbridge.js';
import { createSfnClient, SfnWorkflow } from '../aws/sfn.js';
import { createAwsStagePorts } from '../aws/stage-ports.js';
import { SfnWaitTokens } from '../aws/wait-tokens.js';
import type { Config, Secrets } from '../config/index.js';
import { ConfigError } from '../errors.js';
import { cachedAncestry, type AncestryPort } from '../gitops/ancestry.js';
import { GithubAncestry } from '../gitops/github-ancestry.js';
import { githubCredentialSecret, githubTokenProvider } from '../gitops/github-credentials.js';
import type { StepcdLogger } from '../logging.js';
import { createNotifier, type Notifier } from '../slack/notifier.js';
import type { OrchestratorDeps, StageTaskDeps, StepDeps } from '../orchestrator/index.js';
import type { StabilityDeps } from '../stability/index.js';
import type { StagePorts } from '../stages/ports.js';

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
  /**
   * The engine's clock, for deadlines, waits and timeouts: the local cloud's (which runs ahead of
   * real time); Date.now on AWS.
   */
  now?: () => number;
  /** The time people read (history timestamps, events, Slack): real time; Date.now when omitted. */
  wallNow?: () => number;
}

/** History, events, workflow and notifier: what every function that moves or reports a deployment needs. */
export interface CoreDeps {
  history: DynamoHistoryStore;
  events: EventBridgePublisher;
  workflow: SfnWorkflow;
  tokens: SfnWaitTokens;
  notifier: Notifier;
}

export interface NotifierTuning {
  /** Slack attempts per call; the interactions endpoint keeps this at 1 to answer within 3 s. */
  slackAttempts?: number;
  slackTimeoutMs?: number;
}

/**
 * History, events and workflow without the notifier: what the webhook needs, and no Slack client
 * in its bundle. buildCoreDeps adds the notifier to exactly these.
 */
export function buildRecordPorts(ctx: DepsContext): Omit<CoreDeps, 'notifier' | 'tokens'> {
  return {
    history: new DynamoHistoryStore(createDocumentClient(ctx.clients.dynamodb), ctx.config.tableName),
    events: new EventBridgePublisher(createEventBridgeClient(ctx.clients.events), ctx.config.eventBusName),
    workflow: new SfnWorkflow(createSfnClient(ctx.clients.sfn), ctx.config.stateMachineArn),
  };
}

export function buildCoreDeps(ctx: DepsContext, tuning: NotifierTuning = {}): CoreDeps {
  const wallNow = ctx.wallNow ?? Date.now;
  const ports = buildRecordPorts(ctx);
  const { history } = ports;
  return {
    ...ports,
    tokens: new SfnWaitTokens(createSfnClient(ctx.clients.sfn)),
    notifier: createNotifier({
      history,
      logger: ctx.logger,
      ...(ctx.secrets.slackBotToken ? { botToken: ctx.secrets.slackBotToken } : {}),
      ...(ctx.config.slack.incomingWebhookUrl ? { incomingWebhookUrl: ctx.config.slack.incomingWebhookUrl } : {}),
      ...(ctx.config.slack.apiUrl ? { apiUrl: ctx.config.slack.apiUrl } : {}),
      ...(ctx.config.slack.defaultChannel ? { defaultChannel: ctx.config.slack.defaultChannel } : {}),
      ...(ctx.config.dashboardUrl ? { dashboardUrl: ctx.config.dashboardUrl } : {}),
      now: () => new Date(wallNow()),
      ...(tuning.slackAttempts ? { maxAttempts: tuning.slackAttempts } : {}),
      ...(tuning.slackTimeoutMs ? { timeoutMs: tuning.slackTimeoutMs } : {}),
    }),
  };
}

export function buildOrchestratorDeps(ctx: DepsContext, overrides: { ancestry?: AncestryPort } = {}): OrchestratorDeps {
  return { ...buildStepDeps(ctx), ancestry: overrides.ancestry ?? githubAncestry(ctx) };
}

/** Advance, Complete and the lock hand-off: the orchestrate function's deps but commit ancestry. */
function buildStepDeps(ctx: DepsContext, core: CoreDeps = buildCoreDeps(ctx)): StepDeps {
  return {
    ...core,
    ...clocksOf(ctx),
    logger: ctx.logger,
    ...(ctx.config.queueBackstopSeconds ? { queueBackstopSeconds: ctx.config.queueBackstopSeconds } : {}),
  };
}

/** The engine clock and the wall clock as the orchestration and trigger deps take them. */
export function clocksOf(ctx: Pick<DepsContext, 'now' | 'wallNow'>): { now: () => Date; wallNow: () => Date } {
  const now = ctx.now ?? Date.now;
  const wallNow = ctx.wallNow ?? Date.now;
  return { now: () => new Date(now()), wallNow: () => new Date(wallNow()) };
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
  // One history store for the stage's own writes and for the advance after it.
  const core = buildCoreDeps(ctx);
  return {
    history: core.history,
    tokens: core.tokens,
    ports: stagePorts(ctx),
    steps: buildStepDeps(ctx, core),
  };
}

/** The ecs-events function: the stage wait items, the tokens, and the reads that re-check a target. */
export function buildStabilityDeps(ctx: DepsContext): StabilityDeps {
  return {
    waits: new DynamoHistoryStore(createDocumentClient(ctx.clients.dynamodb), ctx.config.tableName),
    tokens: new SfnWaitTokens(createSfnClient(ctx.clients.sfn)),
    ports: stagePorts(ctx),
  };
}

function stagePorts(ctx: DepsContext): StagePorts {
  const now = ctx.now ?? Date.now;
  return createAwsStagePorts({
    ecs: ctx.clients.ecs,
    elbv2: ctx.clients.elbv2,
    cloudwatch: ctx.clients.cloudwatch,
    // KMS shares the region (and, locally, the one AWS port) of the ECS client.
    ...(ctx.config.kmsKeyArn && { kms: { config: ctx.clients.ecs, keyId: ctx.config.kmsKeyArn } }),
    now,
    log: (message, fields) => ctx.logger.info(message, { ...fields }),
  });
}
