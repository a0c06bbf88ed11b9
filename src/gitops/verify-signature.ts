import { verify } from '@octokit/webhooks-methods';

const SIGNATURE_PREFIX = 'sha256=';

/**
 * Checks `X-Hub-Signature-256` against the raw body with @octokit/webhooks-methods (the verifier
 * inside @octokit/webhooks, without its event router: the webhook bundle is sized for cold starts).
 * It compares with `crypto.timingSafeEqual`; the length check it does first reveals only the
 * (public) digest length. Never throws: a missing or malformed header, or an empty body, is simply
 * "not verified".
 */
export async function verifySignature(secret: string, rawBody: string, signature: string | undefined): Promise<boolean> {
  if (!secret) throw new TypeError('verifySignature: the webhook secret is required');
  if (!signature || !signature.startsWith(SIGNATURE_PREFIX) || rawBody.length === 0) return false;
  try {
    return await verify(secret, rawBody, signature);
  } catch {
    return false;
  }
}
