import type { NotifyLogger } from './notifier.js';

export interface EphemeralReply {
  text: string;
}

/**
 * Answers the user who clicked through the interaction's `response_url`, visible only to them and
 * leaving the deployment message alone. One short attempt: the user already sees the outcome in the
 * updated message, and Slack expects the interaction handled within 3 seconds. Never throws.
 */
export async function replyEphemeral(
  responseUrl: string,
  reply: EphemeralReply,
  opts: { logger: NotifyLogger; fetch?: typeof fetch; timeoutMs?: number },
): Promise<boolean> {
  try {
    const res = await (opts.fetch ?? fetch)(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text: reply.text }),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 1_500),
    });
    if (!res.ok) throw new Error(`response_url answered HTTP ${res.status}`);
    return true;
  } catch (err) {
    opts.logger.warn('could not answer through response_url', { error: err });
    return false;
  }
}
