import { createEcsAdapter } from '../aws/ecs.js';
import { requireSecret } from '../config/secrets.js';
import { ConfigError } from '../errors.js';
import { ManifestPlanner, serviceLookupOver } from '../gitops/app-planner.js';
import { createLambdaInvoker } from '../aws/lambda.js';
import { LambdaSelfInvokeDeferrer } from '../gitops/deferrers.js';
import type { AncestryPort } from '../gitops/ancestry.js';
import type { ManifestSource } from '../gitops/manifest-source.js';
import type { Deferrer, TriggerLimits } from '../gitops/trigger.js';
import { githubCredentialSecret, githubTokenProvider } from '../gitops/github-credentials.js';
import { GithubSource } from '../gitops/github-source.js';
import { createLiveEcsReader } from '../aws/ecs-read.js';
import { GithubRest } from '../github/github-rest.js';
import { containerTriggerCache, TieredTriggerCache } from '../gitops/trigger-cache.js';
import type { WebhookDeps } from '../gitops/webhook.js';
import { buildRecordPorts, clocksOf, type DepsContext } from './deps.js';

/** For tests: what to use instead of GitHub's own API and the global fetch. */
export interface WebhookDepsOptions {
  fetch?: typeof fetch;
}

/**
 * The webhook's dependencies for one warm container. They are rebuilt only when the GitHub
 * credential changes on an SSM cache refresh; otherwise the clients, and the cached GitHub App
 * installation token, live across invocations. The webhook secret is read on every call.
 */
let cached: { config: DepsContext['config']; credential: string; deps: Omit<WebhookDeps, 'secret'> } | undefined;

export function productionDeps(ctx: DepsContext, options: WebhookDepsOptions = {}): WebhookDeps {
  const secret = requireSecret(ctx.secrets, 'githubWebhookSecret');
  const credential = requireSecret(ctx.secrets, githubCredentialSecret(ctx.config.github));
  if (cached?.config !== ctx.config || cached.credential !== credential) {
    cached = { config: ctx.config, credential, deps: buildWebhookDeps(ctx, options) };
  }
  return { ...cached.deps, secret };
}

/**
 * Ports from configuration: history, workflow and events from buildRecordPorts (the one place that
 * builds them), plus what only the webhook needs: GitHub, the ECS service lookup, the self-invoke.
 */
export function buildWebhookDeps(ctx: DepsContext, options: WebhookDepsOptions = {}): Omit<WebhookDeps, 'secret'> {
  const { config } = ctx;
  const [repo, ...more] = config.github.repos;
  // One webhook function serves one repository: manifests are read from it by the pushed sha.
  if (!repo || more.length > 0) throw new ConfigError('STEPCD_GITHUB_REPOS must name exactly one owner/name repository');
  if (!config.webhookFunctionName) throw new ConfigError('AWS_LAMBDA_FUNCTION_NAME is not set: large pushes could not be deferred');
  const { history, workflow, events } = buildRecordPorts(ctx);
  const now = ctx.now ?? Date.now;
  const http = options.fetch ? { fetch: options.fetch } : {};
  const auth = githubTokenProvider(config.github, ctx.secrets, { ...http, now });
  const baseUrl = config.github.apiUrl ? { baseUrl: config.github.apiUrl } : {};
  const source = new GithubSource({ repo, auth, ...baseUrl, ...http });
  return {
    tracking: config.github,
    source,
    // Pull requests: checks with a GitHub App (checks: write), a commit status with a plain token.
    pullRequests: {
      source,
      liveEcs: createLiveEcsReader(ctx.clients.ecs),
      github: new GithubRest({ repo, auth, ...baseUrl, ...http, maxRetryAfterSeconds: 3 }),
      report: config.github.app ? 'checks' : 'status',
      stackApprovers: config.approvers ?? [],
      logger: ctx.logger,
    },
    planner: new ManifestPlanner(serviceLookupOver(createEcsAdapter(ctx.clients.ecs)), config.approvers ?? []),
    history,
    workflow,
    events,
    deferrer: new LambdaSelfInvokeDeferrer(createLambdaInvoker(ctx.clients.lambda), config.webhookFunctionName),
    logger: ctx.logger,
    ...clocksOf(ctx),
    // Warm containers answer from memory; a cold one (or a continuation) from the history table.
    triggerCache: new TieredTriggerCache(containerTriggerCache, history, ctx.logger),
  };
}

/**
 * The local cloud's variant: manifests from the repository on disk instead of GitHub's API, a large
 * push continued in-process instead of by a Lambda self-invoke, and no pull-request checks. The
 * rest (history, workflow, events, the planner over ECS) is built as on AWS.
 */
export function buildLocalWebhookDeps(ctx: DepsContext, local: LocalGitops): WebhookDeps {
  const { history, workflow, events } = buildRecordPorts(ctx);
  return {
    secret: requireSecret(ctx.secrets, 'githubWebhookSecret'),
    tracking: ctx.config.github,
    source: local.source,
    planner: new ManifestPlanner(serviceLookupOver(createEcsAdapter(ctx.clients.ecs)), ctx.config.approvers ?? []),
    history,
    workflow,
    events,
    deferrer: local.deferrer,
    logger: ctx.logger,
    ...clocksOf(ctx),
    ...(local.limits ? { limits: local.limits } : {}),
  };
}

/** What the local cloud puts where GitHub and Lambda are on AWS. */
export interface LocalGitops {
  source: ManifestSource;
  ancestry: AncestryPort;
  deferrer: Deferrer;
  limits?: Partial<TriggerLimits>;
}
