/** The fields of an API Gateway HTTP API (payload v2) or Lambda function URL event that stepcd reads. */
export interface HttpApiEvent {
  rawPath?: string;
  headers?: Record<string, string | undefined>;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext?: { http?: { method?: string } };
}

/** An HTTP request as the endpoints see it: header names lower-cased, body already decoded. */
export interface HttpRequest {
  method: string;
  headers: Record<string, string | undefined>;
  /** The raw body as sent: signatures are computed over these exact bytes. */
  body: string;
}

/** Lower-cases header names (API Gateway keeps what the client sent) and decodes a base64 body. */
export function toHttpRequest(event: HttpApiEvent): HttpRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  const raw = event.body ?? '';
  return {
    method: event.requestContext?.http?.method ?? 'POST',
    headers,
    body: event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw,
  };
}
