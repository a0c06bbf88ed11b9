import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '../http/loopback-server.js';

/** The API Gateway HTTP API (payload v2) event fields stepcd's handlers read. */
export interface HttpApiEventV2 {
  version: '2.0';
  routeKey: string;
  rawPath: string;
  rawQueryString: string;
  headers: Record<string, string>;
  body?: string;
  isBase64Encoded: boolean;
  requestContext: { http: { method: string; path: string; sourceIp: string }; requestId: string; timeEpoch: number };
}

export interface HttpApiResult {
  statusCode: number;
  headers?: Record<string, string>;
  body?: string;
}

export type HttpRoute = (event: HttpApiEventV2) => Promise<HttpApiResult>;

export interface HttpFrontOptions {
  /** Keyed `METHOD /path`, e.g. `POST /webhooks/github`. */
  routes: Record<string, HttpRoute>;
  /** Serves every request no route takes: the dashboard (src/dashboard), as `stepcd dashboard` serves it. */
  dashboard?: RequestListener;
  port?: number;
}

export interface HttpFront {
  url: string;
  close(): Promise<void>;
}

/** API Gateway refuses request bodies over 10 MB with 413 before any handler runs; so does the local front. */
export const MAX_FRONT_BODY_BYTES = 10 * 1024 * 1024;

const TEXTUAL = /^(text\/|application\/(json|x-www-form-urlencoded|xml))/;

/**
 * The local API Gateway: turns Node requests into HTTP API v2 events for the same handlers that run
 * on Lambda, and their results back into responses. Like API Gateway it lower-cases header names and
 * base64-encodes bodies that are not text.
 */
export async function startHttpFront(options: HttpFrontOptions): Promise<HttpFront> {
  let seq = 0;
  const server = createServer((req, res) => {
    void serve(req, res).catch((err: unknown) => send(res, { statusCode: 500, body: `internal error: ${(err as Error).message}` }));
  });
  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const method = req.method ?? 'GET';
    const routeKey = `${method} ${url.pathname}`;
    const route = options.routes[routeKey];
    if (!route && options.dashboard) return void options.dashboard(req, res);
    if (!route) return send(res, { statusCode: 404, body: JSON.stringify({ message: 'Not Found' }) });
    const raw = await readBody(req, MAX_FRONT_BODY_BYTES);
    if (!raw) {
      return send(res, { statusCode: 413, body: JSON.stringify({ message: 'Request Entity Too Large' }) });
    }
    send(res, await route(toEvent(req, raw, url, routeKey, `local-${++seq}`)));
  }
  return listenOnLoopback(server, options.port ?? 0);
}

/**
 * The whole body, or undefined when it is over `limit` bytes. Past the limit the rest is drained but
 * not kept: stopping the read would destroy the socket before the 413 could be sent.
 */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  return size > limit ? undefined : Buffer.concat(chunks);
}

function toEvent(req: IncomingMessage, raw: Buffer, url: URL, routeKey: string, requestId: string): HttpApiEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const textual = TEXTUAL.test(headers['content-type'] ?? 'text/plain');
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    ...(raw.length > 0 ? { body: textual ? raw.toString('utf8') : raw.toString('base64') } : {}),
    isBase64Encoded: raw.length > 0 && !textual,
    requestContext: {
      http: { method: req.method ?? 'GET', path: url.pathname, sourceIp: req.socket.remoteAddress ?? '127.0.0.1' },
      requestId,
      timeEpoch: Date.now(),
    },
  };
}

function send(res: ServerResponse, result: HttpApiResult): void {
  res.writeHead(result.statusCode, { 'content-type': 'application/json', ...result.headers });
  res.end(result.body ?? '');
}
