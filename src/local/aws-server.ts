import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { listenOnLoopback } from '../http/loopback-server.js';

/** One AWS request as the emulator sees it, after the body has been read. */
export interface AwsRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** `x-amz-target` (JSON protocols), e.g. `AmazonEC2ContainerServiceV20141113.CreateService`. */
  target?: string;
  contentType: string;
  body: string;
}

export interface AwsResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/**
 * A service answers the requests it recognises (by target prefix or form `Action`) and returns
 * `undefined` for the rest, so several services share one port.
 */
export type ServiceHandler = (req: AwsRequest) => Promise<AwsResponse | undefined>;

export interface AwsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts one HTTP server on 127.0.0.1 (a free port unless given) that routes to the handlers in order. */
export async function startAwsServer(handlers: ServiceHandler[], port = 0): Promise<AwsServer> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      const requestId = randomUUID();
      try {
        const request = await readRequest(req);
        for (const handle of handlers) {
          const answer = await handle(request);
          if (!answer) continue;
          res.writeHead(answer.status, { 'x-amzn-RequestId': requestId, ...answer.headers });
          res.end(answer.body);
          return;
        }
        res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': requestId });
        res.end(JSON.stringify({ __type: 'UnknownOperationException', message: `no local service for ${request.target ?? request.path}` }));
      } catch (err) {
        res.writeHead(500, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': requestId });
        res.end(JSON.stringify({ __type: 'InternalFailure', message: (err as Error).message }));
      }
    })();
  });
  server.keepAliveTimeout = 1000;
  return listenOnLoopback(server, port);
}

async function readRequest(req: IncomingMessage): Promise<AwsRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k.toLowerCase()] = v;
  return {
    method: req.method ?? 'POST',
    path: req.url ?? '/',
    headers,
    target: headers['x-amz-target'],
    contentType: headers['content-type'] ?? '',
    body: Buffer.concat(chunks).toString('utf8'),
  };
}
