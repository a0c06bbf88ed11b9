import type { HttpRequest } from './api-event.js';
import { jsonReply, type HttpReply } from './reply.js';

/** How one endpoint trusts a request: a body limit, then a signature over the raw body. */
export interface SignedRequestGuard {
  /** The largest body read: anything longer is refused before the signature and any parse. */
  maxBodyBytes: number;
  /** The 413 answer's error text. */
  tooLarge: string;
  /** For the operator's log: a body was refused for its size. */
  onTooLarge?(bytes: number): void;
  /** Checks the signature: undefined when the request is trusted, else the answer that refuses it. */
  verify(request: HttpRequest): HttpReply | undefined | Promise<HttpReply | undefined>;
}

/**
 * The checks every signed endpoint runs before it reads a request: size first (in bytes, not
 * characters: a multi-byte body counts what it weighs), then the signature. Undefined means go on.
 */
export async function guardSignedRequest(request: HttpRequest, guard: SignedRequestGuard): Promise<HttpReply | undefined> {
  const bytes = Buffer.byteLength(request.body, 'utf8');
  if (bytes > guard.maxBodyBytes) {
    guard.onTooLarge?.(bytes);
    return jsonReply(413, { error: guard.tooLarge });
  }
  return guard.verify(request);
}
