import { ConfigError } from '../errors.js';
import type { HttpRequest } from '../http/api-event.js';
import { jsonReply, type HttpReply } from '../http/reply.js';
import { guardSignedRequest } from '../http/signed-request.js';
import { handlePullRequest } from '../github/pull-request/handle.js';
import type { PullRequestDeps } from '../github/pull-request/pr-check.js';
import { classifyPush, parsePushPayload, type Tracking } from './push-event.js';
import type { DeliveryStore } from '../history/delivery-store.js';
import { triggerDeployments, type AppTriggerResult, type TriggerDeps } from './trigger.js';
import { verifySignature } from './verify-signature.js';

/** An HTTP request as the webhook sees it: header names lower-cased, body already decoded. */
export type WebhookRequest = HttpRequest;

export type WebhookResponse = HttpReply;

/**
 * The largest body the webhook reads. GitHub caps payloads at 25 MB, but a Lambda behind API Gateway
 * receives at most 6 MB of event (10 MB at API Gateway itself), and a push payload lists at most 20
 * commits (larger pushes are read through the compare API), so a body over 5 MB is abnormal. It is
 * refused before the HMAC and the JSON parse, with 413; the operator's remedy is in docs/deploy.md.
 */
export const MAX_WEBHOOK_BODY_BYTES = 5 * 1024 * 1024;

export interface WebhookDeps extends TriggerDeps {
  /** The trigger's records, and the delivery items that dedupe GitHub's redeliveries. */
  history: TriggerDeps['history'] & DeliveryStore;
  /** The GitHub webhook secret. Required: without it nothing can be trusted. */
  secret: string;
  tracking: Tracking;
  /** Checks pull requests (src/github/pull-request); without it they are ignored with 202. */
  pullRequests?: PullRequestDeps;
}

/**
 * POST /webhooks/github. Answers, in order of checks:
 *   413 a body over MAX_WEBHOOK_BODY_BYTES (nothing else is read)
 *   401 missing or wrong X-Hub-Signature-256 (checked before anything else has an effect)
 *   400 empty body, malformed JSON, or a push payload missing its required fields
 *   200 ping; 202 other events, and pushes stepcd does not deploy (untracked, deleted, tags)
 *   200 a checked pull_request (src/github/pull-request/handle.ts has its own answers)
 *   200 a handled push, listing every affected app and its deployment id (redeliveries included)
 *   202 a push to a huge repository whose app configs could not all be read in time (a cold cache):
 *       `{ status: 'accepted', deferred: 'analysis', configs }`; the whole push went to the
 *       asynchronous continuation, which finds and starts its apps (see trigger.ts maxAnalysisReads)
 *   200 also when some apps ended TRIGGER_FAILED (each with a record and an event): the push was
 *       handled and a redelivery would fail the same way; the body's status is then `trigger_failed`
 *   422 the pushed commit is not in the repository: one TRIGGER_FAILED record and event for the push
 *   502 some app failed for a reason a redelivery may fix; the body says which, each with
 *       `retryable: true` (the rest went ahead)
 */
export async function handleGithubWebhook(request: WebhookRequest, deps: WebhookDeps): Promise<WebhookResponse> {
  if (!deps.secret) throw new ConfigError('the GitHub webhook secret is not configured; refusing to handle webhooks');
  const log = deps.logger;
  if (request.method.toUpperCase() !== 'POST') return reply(405, { error: 'method not allowed' });
  const refused = await guardSignedRequest(request, {
    maxBodyBytes: MAX_WEBHOOK_BODY_BYTES,
    tooLarge: `payload larger than ${MAX_WEBHOOK_BODY_BYTES / 1024 / 1024} MB; stepcd does not read it`,
    onTooLarge: (bytes) => log.warn('webhook body too large', { delivery: request.headers['x-github-delivery'], bytes }),
    verify: async ({ headers, body }) => {
      const signature = headers['x-hub-signature-256'];
      if (!signature) return reply(401, { error: 'missing X-Hub-Signature-256' });
      if (body.length === 0) return reply(400, { error: 'empty body' });
      if (await verifySignature(deps.secret, body, signature)) return undefined;
      log.warn('webhook signature mismatch', { delivery: headers['x-github-delivery'] });
      return reply(401, { error: 'signature does not match' });
    },
  });
  if (refused) return refused;

  const event = request.headers['x-github-event'];
  const delivery = request.headers['x-github-delivery'];
  let json: unknown;
  try {
    json = JSON.parse(request.body);
  } catch {
    if ((request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return reply(400, { error: 'the webhook sends form-encoded payloads; set its content type to application/json in the GitHub webhook settings' });
    }
    return reply(400, { error: 'body is not valid JSON' });
  }
  if (event === 'ping') return reply(200, { status: 'pong' });
  if (event === 'pull_request') {
    const answer = await handlePullRequest(json, deps);
    return reply(answer.statusCode, answer.body);
  }
  if (event !== 'push') return reply(202, { status: 'ignored', reason: `event ${event ?? '(none)'} is not handled` });

  const parsed = parsePushPayload(json);
  if (!parsed.ok) return reply(400, { error: parsed.error });
  const decision = classifyPush(parsed.payload, deps.tracking, delivery);
  if (decision.kind === 'ignore') {
    log.info('push ignored', { delivery, reason: decision.reason });
    return reply(202, { status: 'ignored', reason: decision.reason });
  }

  const { push } = decision;
  log.info('push received', { delivery, repo: push.repo, ref: push.ref, sha: push.after });
  const outcome = await triggerDeployments(push, deps);
  if (outcome.deferredAnalysis) {
    // No delivery claim: nothing was started here, and a redelivery only defers the same push again.
    return reply(202, { status: 'accepted', sha: push.after, deferred: 'analysis', configs: outcome.deferredAnalysis.configs });
  }
  if (outcome.missingCommit) {
    return reply(422, { status: 'trigger_failed', sha: push.after, deploymentId: outcome.missingCommit.deploymentId, error: outcome.missingCommit.reason });
  }
  const apps = outcome.results.map(summarise);
  const retry = outcome.results.filter((r) => r.status === 'ERROR' && r.retryable);
  if (retry.length > 0) return reply(502, { status: 'partial', sha: push.after, apps, deletedApps: outcome.deletedApps });

  // Recorded after the work, not before: a delivery that crashed half-way must be redeliverable.
  const earlier = delivery
    ? await deps.history.claimDelivery(
        delivery,
        apps.map((a) => a.deploymentId),
      )
    : undefined;
  return reply(200, {
    status: earlier ? 'redelivery' : outcome.results.some((r) => r.status === 'TRIGGER_FAILED') ? 'trigger_failed' : 'ok',
    sha: push.after,
    apps,
    deletedApps: outcome.deletedApps,
  });
}

function summarise(r: AppTriggerResult) {
  return {
    app: r.app,
    configPath: r.configPath,
    deploymentId: r.deploymentId,
    status: r.status,
    ...(r.executionArn ? { executionArn: r.executionArn } : {}),
    ...(r.errors ? { errors: r.errors } : {}),
    ...(r.status === 'ERROR' ? { retryable: r.retryable !== false } : {}),
  };
}

function reply(statusCode: number, body: Record<string, unknown>): WebhookResponse {
  return jsonReply(statusCode, body);
}
