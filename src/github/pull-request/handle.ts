import { StepcdError } from '../../errors.js';
import type { Tracking } from '../../gitops/push-event.js';
import type { StepcdLogger } from '../../logging.js';
import { checkPullRequest, type PullRequestDeps } from './pr-check.js';
import { classifyPullRequest } from './pr-event.js';

export interface PullRequestReply {
  statusCode: number;
  body: Record<string, unknown>;
}

/**
 * The `pull_request` branch of the webhook (the signature is already verified): 400 not a pull
 * request payload, 202 not one stepcd checks (or checks not configured), 200 checked and reported.
 */
export async function handlePullRequest(
  payload: unknown,
  deps: { tracking: Tracking; logger: StepcdLogger; pullRequests?: PullRequestDeps | undefined },
): Promise<PullRequestReply> {
  if (!deps.pullRequests) return { statusCode: 202, body: { status: 'ignored', reason: 'pull request checks are not configured' } };
  const decision = classifyPullRequest(payload, deps.tracking);
  if (decision.kind === 'invalid') return { statusCode: 400, body: { error: decision.error } };
  if (decision.kind === 'ignore') return { statusCode: 202, body: { status: 'ignored', reason: decision.reason } };
  const { pr } = decision;
  deps.logger.info('pull request check', { repo: pr.repo, number: pr.number, sha: pr.headSha, fork: pr.fork });
  try {
    const outcome = await checkPullRequest(pr, deps.pullRequests);
    return { statusCode: 200, body: { status: 'checked', pullRequest: pr.number, ...outcome } };
  } catch (err) {
    // GitHub (rate limits, 5xx) or AWS failed: a 502 lets the delivery be redelivered; the check is idempotent.
    if (err instanceof StepcdError) {
      deps.logger.warn('pull request check failed', { error: err });
      return { statusCode: 502, body: { status: 'failed', pullRequest: pr.number, error: err.message.split('\n')[0], retryable: err.retryable } };
    }
    throw err;
  }
}
