import { Webhooks } from '@octokit/webhooks';

const SIGNATURE_PREFIX = 'sha256=';

/**
 * Checks `X-Hub-Signature-256` against the raw body. @octokit/webhooks compares with
 * `crypto.timingSafeEqual`; the length check it does first reveals only the (public) digest length.
 * Never throws: a missing or malformed header, or an empty body, is simply "not verified".
 */
export async function verifySignature(secret: string, rawBody: string, signature: string | undefined): Promise<boolean> {
  if (!secret) throw new TypeError('verifySignature: the webhook secret is required');
  if (!signature || !signature.startsWith(SIGNATURE_PREFIX) || rawBody.length === 0) return false;
  try {
    return await webhooksFor(secret).verify(rawBody, signature);
  } catch {
    return false;
  }
}

// One verifier per secret; a warm Lambda keeps it (the secret only changes on SSM cache refresh).
let cached: { secret: string; webhooks: Webhooks } | undefined;
function webhooksFor(secret: string): Webhooks {
  if (cached?.secret !== secret) cached = { secret, webhooks: new Webhooks({ secret }) };
  return cached.webhooks;
}
