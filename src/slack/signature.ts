import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Slack request signing, version `v0`: `v0=` + hex HMAC-SHA256(signingSecret, `v0:{timestamp}:{rawBody}`),
 * sent in `X-Slack-Signature` with the timestamp in `X-Slack-Request-Timestamp`.
 * https://api.slack.com/authentication/verifying-requests-from-slack
 */
export const MAX_SKEW_SECONDS = 5 * 60;

export type SignatureFailure = 'missing-headers' | 'stale' | 'future' | 'bad-signature' | 'replay';

export type SignatureCheck = { ok: true } | { ok: false; reason: SignatureFailure };

export interface SignedRequest {
  timestamp: string | undefined;
  signature: string | undefined;
  /** The body exactly as received; re-encoding a parsed form would change the bytes. */
  rawBody: string;
}

export function computeSlackSignature(signingSecret: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/**
 * Checks headers, the 5-minute window (both ways: a clock far ahead is as suspect as one far behind),
 * the HMAC in constant time, and finally that this exact signature was not seen before.
 */
export function verifySlackRequest(req: SignedRequest, signingSecret: string, nowSeconds: number, replays?: ReplayCache): SignatureCheck {
  const { timestamp, signature } = req;
  if (!timestamp || !signature || !/^\d+$/.test(timestamp)) return { ok: false, reason: 'missing-headers' };
  const ts = Number(timestamp);
  if (nowSeconds - ts > MAX_SKEW_SECONDS) return { ok: false, reason: 'stale' };
  if (ts - nowSeconds > MAX_SKEW_SECONDS) return { ok: false, reason: 'future' };
  const expected = Buffer.from(computeSlackSignature(signingSecret, timestamp, req.rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  // timingSafeEqual needs equal lengths; a length mismatch reveals nothing about the secret.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
  if (replays && !replays.remember(signature, ts, nowSeconds)) return { ok: false, reason: 'replay' };
  return { ok: true };
}

/**
 * Remembers signatures seen inside the 5-minute window so a captured request cannot be sent again.
 * It is per process: another Lambda instance (or a cold start) has not seen the signature, so a replay
 * can get through there. That is acceptable because the replay is still harmless: approvals are
 * once-only conditional writes, a user counts once, and a closed approval answers "already closed".
 * The cache is a defence in depth, not the guarantee. It is bounded: the oldest entries go first.
 */
export class ReplayCache {
  private readonly seen = new Map<string, number>();

  constructor(private readonly maxEntries = 10_000) {}

  /** Returns false if `signature` was already seen within the window; records it otherwise. */
  remember(signature: string, timestamp: number, nowSeconds: number): boolean {
    this.evict(nowSeconds);
    if (this.seen.has(signature)) return false;
    this.seen.set(signature, timestamp);
    while (this.seen.size > this.maxEntries) {
      const oldest = this.seen.keys().next().value;
      if (oldest === undefined) break;
      this.seen.delete(oldest);
    }
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private evict(nowSeconds: number): void {
    // Insertion order is roughly timestamp order; stop at the first entry still inside the window.
    for (const [sig, ts] of this.seen) {
      if (nowSeconds - ts <= MAX_SKEW_SECONDS) break;
      this.seen.delete(sig);
    }
  }
}
