import type { WebhookRequest } from './webhook.js';

/** The fields of an API Gateway HTTP API (payload v2) event that the webhooks read. */
export interface HttpApiEvent {
  rawPath?: string;
  headers?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext?: { http?: { method?: string } };
}

/** Lower-cases header names (API Gateway keeps what the client sent) and decodes a base64 body. */
export function toWebhookRequest(event: HttpApiEvent): WebhookRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  const raw = event.body ?? '';
  return {
    method: event.requestContext?.http?.method ?? 'POST',
    headers,
    body: event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw,
  };
}
