import type { DriftCheckDeps } from '../drift/check.js';
import { SLACK_RESPONSE_ORIGINS, type SlackEndpointDeps } from '../slack/approval-endpoint.js';
import type { ApprovalRequestDeps } from '../approval/request-event.js';
import type { ApprovalService } from '../approval/service.js';
import { ReplayCache } from '../slack/signature.js';
import type { AwsClientConfigs } from '../aws/client-config.js';
import type { Config, Secrets } from '../config/index.js';
import { requireSecret } from '../config/secrets.js';
import type { MirrorDeps } from '../github/mirror-deployment.js';
import type { WebhookDeps } from '../gitops/webhook.js';
import type { StepcdLogger } from '../logging.js';
import type { OrchestratorDeps, StageTaskDeps } from '../orchestrator/index.js';
import { buildApprovalService } from './approval.js';
import { buildDriftCheckDeps } from './drift-deps.js';
import { buildCoreDeps, buildOrchestratorDeps, buildStabilityDeps, buildStageTaskDeps, type CoreDeps, type DepsContext } from './deps.js';
import type { StabilityDeps } from '../stability/index.js';
import { buildMirrorDeps } from './mirror.js';
import { buildLocalWebhookDeps, productionDeps, type LocalGitops } from './webhook.js';

/** The functions serverless.yml deploys, by their names there (and their principals locally). */
export type FunctionName =
  | 'github-webhook'
  | 'slack-interactions'
  | 'orchestrate'
  | 'stage'
  | 'approval-request'
  | 'finaliser'
  | 'github-deployments'
  | 'drift-check'
  | 'ecs-events';

/** Everything the services are built from: the only difference between AWS and the local cloud. */
export interface RuntimeEnv {
  config: Config;
  /**
   * The client configs a function's ports use: on AWS the same for all (each function has its own
   * role); locally signed as the function, so the local cloud attributes its calls. Without a name:
   * the caller's own (the CLI, tests).
   */
  clients(fn?: FunctionName): AwsClientConfigs;
  logger: StepcdLogger;
  /** The local cloud's clock; Date.now on AWS. Slack's request signatures are always checked against real time. */
  now?: () => number;
  /** Locally: the repository on disk and in-process continuations instead of GitHub and Lambda. */
  local?: LocalGitops & {
    /** Origins a Slack response_url may have beyond Slack's own: the local Slack stand-in. */
    responseUrlOrigins?: readonly string[];
  };
}

/**
 * Each function's dependencies, built on first use from the secrets of that call (a Lambda gets them
 * from SSM on its first invocation), then kept for the life of the container. Two exceptions follow
 * a rotation: the webhook rebuilds its GitHub clients when the credential changes, and reads its
 * secret on every call, as the Slack endpoint does its signing secret.
 */
export interface Services {
  config: Config;
  /** History, events, workflow and notifier as the caller (the CLI, tests). */
  core(): CoreDeps;
  /** The approval service as the caller (the CLI, tests). */
  approvals(secrets: Secrets): ApprovalService;
  orchestrate(secrets: Secrets): OrchestratorDeps;
  stage(secrets: Secrets): StageTaskDeps;
  approvalRequest(secrets: Secrets): ApprovalRequestDeps;
  slackInteractions(secrets: Secrets): SlackEndpointDeps;
  finaliser(secrets: Secrets): OrchestratorDeps;
  githubWebhook(secrets: Secrets): WebhookDeps;
  githubDeployments(secrets: Secrets): MirrorDeps;
  driftCheck(secrets: Secrets): DriftCheckDeps;
  ecsEvents(secrets: Secrets): StabilityDeps;
}

/** One function's dependencies from the secrets of a call; see Services for when they are (re)built. */
export type FunctionDeps<T> = (secrets: Secrets) => T;

/**
 * A function's builder: its dependencies in an environment. One per function, so a Lambda bundle
 * reaches only its own function's ports (the bench's `bundles` section measures the sizes).
 */
export type FunctionBuilder<T> = (env: RuntimeEnv) => FunctionDeps<T>;

function contextOf(env: RuntimeEnv): (secrets: Secrets, fn?: FunctionName) => DepsContext {
  return (secrets, fn) => ({
    config: env.config,
    clients: env.clients(fn),
    secrets,
    logger: env.logger,
    ...(env.now ? { now: env.now } : {}),
  });
}

const ancestryOf = (env: RuntimeEnv) => (env.local ? { ancestry: env.local.ancestry } : {});

export const orchestrateServices: FunctionBuilder<OrchestratorDeps> = (env) =>
  lazy((secrets) => buildOrchestratorDeps(contextOf(env)(secrets, 'orchestrate'), ancestryOf(env)));

export const finaliserServices: FunctionBuilder<OrchestratorDeps> = (env) =>
  lazy((secrets) => buildOrchestratorDeps(contextOf(env)(secrets, 'finaliser'), ancestryOf(env)));

export const stageServices: FunctionBuilder<StageTaskDeps> = (env) => lazy((secrets) => buildStageTaskDeps(contextOf(env)(secrets, 'stage')));

export const approvalRequestServices: FunctionBuilder<ApprovalRequestDeps> = (env) => {
  const now = env.now ?? Date.now;
  return lazy((secrets) => ({ service: buildApprovalService(contextOf(env)(secrets, 'approval-request')), now: () => new Date(now()) }));
};

export const slackInteractionsServices: FunctionBuilder<SlackEndpointDeps> = (env) => {
  const now = env.now ?? Date.now;
  // Per container on AWS, per stack locally; see ReplayCache for why that is enough.
  const replays = new ReplayCache();
  const origins = env.local?.responseUrlOrigins;
  const responseUrlOrigins = origins ? { responseUrlOrigins: [...SLACK_RESPONSE_ORIGINS, ...origins] } : {};
  // One Slack attempt with a short timeout: Slack wants the interaction answered within 3 s.
  const service = lazy((secrets: Secrets) => buildApprovalService(contextOf(env)(secrets, 'slack-interactions'), { slackAttempts: 1, slackTimeoutMs: 1_000 }));
  return (secrets) => ({
    service: service(secrets),
    // Read on every call: a missing signing secret refuses every request before Slack is read.
    signingSecret: requireSecret(secrets, 'slackSigningSecret'),
    replays,
    now: () => new Date(now()),
    signatureNow: () => new Date(),
    logger: env.logger,
    ...responseUrlOrigins,
  });
};

export const githubWebhookServices: FunctionBuilder<WebhookDeps> = (env) => {
  const ctx = contextOf(env);
  const { local } = env;
  return local
    ? lazyWebhook((secrets) => buildLocalWebhookDeps(ctx(secrets, 'github-webhook'), local))
    : (secrets) => productionDeps(ctx(secrets, 'github-webhook'));
};

export const githubDeploymentsServices: FunctionBuilder<MirrorDeps> = (env) =>
  lazy((secrets) => buildMirrorDeps(contextOf(env)(secrets, 'github-deployments')));

export const driftCheckServices: FunctionBuilder<DriftCheckDeps> = (env) => lazy((secrets) => buildDriftCheckDeps(contextOf(env)(secrets, 'drift-check')));

export const ecsEventsServices: FunctionBuilder<StabilityDeps> = (env) => lazy((secrets) => buildStabilityDeps(contextOf(env)(secrets, 'ecs-events')));

/** The one composition root: every port of every function is built here, for AWS and locally. */
export function composeServices(env: RuntimeEnv): Services {
  const ctx = contextOf(env);
  return {
    config: env.config,
    core: lazy(() => buildCoreDeps(ctx({}))),
    approvals: lazy((secrets) => buildApprovalService(ctx(secrets))),
    orchestrate: orchestrateServices(env),
    stage: stageServices(env),
    approvalRequest: approvalRequestServices(env),
    slackInteractions: slackInteractionsServices(env),
    finaliser: finaliserServices(env),
    githubWebhook: githubWebhookServices(env),
    githubDeployments: githubDeploymentsServices(env),
    driftCheck: driftCheckServices(env),
    ecsEvents: ecsEventsServices(env),
  };
}

/** Builds on the first call, with that call's argument; later calls get the same value. */
export function lazy<T, A = void>(make: (arg: A) => T): (arg: A) => T {
  let made: { value: T } | undefined;
  return (arg) => (made ??= { value: make(arg) }).value;
}

/** Locally the webhook secret is fixed for the stack's life, but still read per call, as on AWS. */
function lazyWebhook(make: (secrets: Secrets) => WebhookDeps): (secrets: Secrets) => WebhookDeps {
  const deps = lazy(make);
  return (secrets) => ({ ...deps(secrets), secret: requireSecret(secrets, 'githubWebhookSecret') });
}
