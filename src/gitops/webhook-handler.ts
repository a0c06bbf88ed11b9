import { ConfigError } from '../errors.js';
import { deferredScope, isDeferredPushEvent, type DeferredPushEvent } from './deferrers.js';
import { toHttpRequest, type HttpApiEvent } from '../http/api-event.js';
import { JSON_HEADERS } from '../http/reply.js';
import { triggerDeployments } from './trigger.js';
import { handleGithubWebhook, type WebhookDeps } from './webhook.js';

export type GithubWebhookEvent = HttpApiEvent | DeferredPushEvent;

/** The handler over given dependencies (local cloud, tests). Refuses to exist without the secret. */
export function createHandler(deps: WebhookDeps) {
  const route = createWebhookRoute(deps);
  return async function githubWebhook(event: GithubWebhookEvent) {
    if (isDeferredPushEvent(event)) {
      // The asynchronous continuation of a large push (see deferrers.ts); nobody awaits an answer.
      await triggerDeployments(event.push, deps, deferredScope(event));
      return undefined;
    }
    return route(event);
  };
}

/** Only the HTTP side, for the local HTTP front's `POST /webhooks/github` route. */
export function createWebhookRoute(deps: WebhookDeps) {
  if (!deps.secret) throw new ConfigError('the GitHub webhook secret is not configured; refusing to start');
  return async function githubWebhookRoute(event: HttpApiEvent) {
    const { statusCode, body } = await handleGithubWebhook(toHttpRequest(event), deps);
    return { statusCode, headers: { ...JSON_HEADERS }, body };
  };
}
