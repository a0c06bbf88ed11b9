/** What an endpoint answers; API Gateway and the local HTTP front send it as is. */
export interface HttpReply {
  statusCode: number;
  headers?: Record<string, string>;
  body: string;
}

export const JSON_HEADERS: Readonly<Record<string, string>> = { 'content-type': 'application/json' };

/** A JSON answer: the body serialised, with its content type. */
export function jsonReply(statusCode: number, body: unknown): HttpReply {
  return { statusCode, headers: { ...JSON_HEADERS }, body: JSON.stringify(body) };
}
