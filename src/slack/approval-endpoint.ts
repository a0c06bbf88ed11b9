import type { HttpRequest } from '../http/api-event.js';
import { jsonReply, type HttpReply } from '../http/reply.js';
import { guardSignedRequest } from '../http/signed-request.js';
import type { NotifyLogger } from './notifier.js';
import { replyEphemeral } from './response-url.js';
import { parseInteraction, type ApprovalClick } from './interactions.js';
import type { ApprovalResult, ApprovalService } from '../approval/service.js';
import { verifySlackRequest, type ReplayCache } from './signature.js';

/** Header names in lower case; the raw, decoded body as Slack sent it. */
export type SlackRequest = Pick<HttpRequest, 'headers' | 'body'>;

export type SlackResponse = HttpReply;

/**
 * The largest body the endpoint reads. A `block_actions` payload carries the message's blocks and is
 * a few KB; Slack messages are capped at 50 blocks of at most 3,000 characters, so anything over
 * 64 KB is not Slack. It is refused before the HMAC and the form parse.
 */
export const MAX_SLACK_BODY_BYTES = 64 * 1024;

export interface SlackEndpointDeps {
  service: Pick<ApprovalService, 'approve' | 'reject' | 'cancel'>;
  signingSecret: string;
  replays: ReplayCache;
  now: () => Date;
  /**
   * The clock Slack's timestamps are checked against: real time, always. Defaults to `now`, which on
   * AWS is real time too; the local cloud fast-forwards `now` for Wait states but never this.
   */
  signatureNow?: () => Date;
  logger: NotifyLogger & { info(message: string, ...extra: unknown[]): void };
  fetch?: typeof fetch;
  /**
   * Origins a `response_url` may point at (default: Slack's, SLACK_RESPONSE_ORIGINS). The URL comes
   * from the request body, so without this a signed-but-forged payload could make the function POST
   * anywhere it can reach (the Lambda runtime API on loopback included). Locally: the Slack stand-in.
   */
  responseUrlOrigins?: readonly string[];
}

/** Where Slack's own `response_url`s live (commercial and GovSlack). */
export const SLACK_RESPONSE_ORIGINS: readonly string[] = ['https://hooks.slack.com', 'https://hooks.slack-gov.com'];

/** True when the URL is https on one of the allowed origins (exact origin match, no user info). */
export function isSlackResponseUrl(url: string, origins: readonly string[] = SLACK_RESPONSE_ORIGINS): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return !parsed.username && !parsed.password && origins.includes(parsed.origin);
}

/**
 * POST /slack/interactions. Verifies the request, applies the click through the approval service and
 * answers the user, all inside Slack's 3-second budget: the decision itself is a few DynamoDB writes
 * and one SendTask call, so it runs before the acknowledgement rather than after it (a Lambda does
 * no work once it has answered).
 */
export async function handleSlackInteraction(req: SlackRequest, deps: SlackEndpointDeps): Promise<SlackResponse> {
  const now = deps.now();
  const refused = await guardSignedRequest(
    { method: 'POST', ...req },
    {
      maxBodyBytes: MAX_SLACK_BODY_BYTES,
      tooLarge: 'request body too large',
      onTooLarge: (bytes) => deps.logger.warn('refused a Slack request', { reason: 'too-large', bytes }),
      verify: ({ headers, body }) => {
        const check = verifySlackRequest(
          { timestamp: headers['x-slack-request-timestamp'], signature: headers['x-slack-signature'], rawBody: body },
          deps.signingSecret,
          Math.floor((deps.signatureNow ?? deps.now)().getTime() / 1000),
          deps.replays,
        );
        if (check.ok) return undefined;
        // The reason is for the operator's log only: the answer is the same whatever part was wrong.
        deps.logger.warn('refused a Slack request', { reason: check.reason });
        return jsonReply(401, { error: 'invalid request signature' });
      },
    },
  );
  if (refused) return refused;

  const parsed = parseInteraction(req.body);
  if (parsed.kind === 'invalid') return jsonReply(400, { error: parsed.reason });
  if (parsed.kind === 'ignored') return { statusCode: 200, body: '' };

  const text = await decide(parsed.click, deps, now);
  const replyTo = parsed.click.responseUrl;
  const allowed = replyTo !== undefined && isSlackResponseUrl(replyTo, deps.responseUrlOrigins);
  if (replyTo !== undefined && !allowed) deps.logger.warn('ignored a response_url outside Slack', { host: hostOf(replyTo) });
  if (allowed && (await replyEphemeral(replyTo, { text }, { logger: deps.logger, fetch: deps.fetch }))) {
    return { statusCode: 200, body: '' };
  }
  // No response_url (or it failed): the acknowledgement itself carries the ephemeral answer.
  return jsonReply(200, { response_type: 'ephemeral', replace_original: false, text });
}

async function decide(click: ApprovalClick, deps: SlackEndpointDeps, now: Date): Promise<string> {
  const input = { deploymentId: click.deploymentId, stageIndex: click.stageIndex, user: click.user, via: 'slack' as const, now };
  let result: ApprovalResult;
  try {
    result =
      click.decision === 'approve'
        ? await deps.service.approve(input)
        : click.decision === 'cancel'
          ? await deps.service.cancel(input)
          : await deps.service.reject(input);
  } catch (err) {
    // Nothing was decided (or the once-only close makes a retry safe): tell the user to click again.
    deps.logger.error('could not apply a Slack approval click', { deploymentId: click.deploymentId, stageIndex: click.stageIndex, error: err });
    return ':warning: stepcd could not record your decision just now; please try again.';
  }
  deps.logger.info('Slack approval click', { deploymentId: click.deploymentId, stageIndex: click.stageIndex, user: click.user, outcome: result.kind });
  return replyText(result);
}

export function replyText(result: ApprovalResult): string {
  switch (result.kind) {
    case 'approved':
      return `:white_check_mark: ${result.message}`;
    case 'recorded':
      return `:ballot_box_with_check: ${result.message}`;
    case 'rejected':
      return `:x: ${result.message}; rolling back`;
    case 'cancelled':
      return `:no_entry_sign: ${result.message}`;
    case 'not-approver':
    case 'closed':
      return `:lock: ${result.message}`;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'not a URL';
  }
}
