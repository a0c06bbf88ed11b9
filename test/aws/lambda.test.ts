import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { localClientConfig, LOCAL_CREDENTIALS } from '../../src/aws/client-config.js';
import { createLambdaInvoker } from '../../src/aws/lambda.js';
import { ErrorName, StepcdError } from '../../src/errors.js';

interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  signatureValid: boolean;
}

type Answer = { status: number; headers?: Record<string, string>; body?: string };

/**
 * Lambda's Invoke on the wire (REST JSON: POST /2015-03-31/functions/{FunctionName}/invocations),
 * answering as Lambda documents: 202 with no body for a queued Event, errors named by the
 * x-amzn-ErrorType header with a {Type, message} body. It re-signs each request it receives with
 * the caller's credentials to check the signature covers what arrived.
 */
async function startLambdaWire(answers: Answer[]): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      void signatureMatches(req, body).then((signatureValid) => {
        received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, signatureValid });
        const answer = answers.shift() ?? { status: 202 };
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(answer.body ?? '');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function signatureMatches(req: IncomingMessage, body: string): Promise<boolean> {
  const auth = String(req.headers.authorization ?? '');
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(auth)?.[1]?.split(';') ?? [];
  if (!/Credential=local\/\d{8}\/us-east-1\/lambda\/aws4_request/.test(auth) || !signedHeaders.includes('host')) return false;
  const url = new URL(req.url ?? '/', 'http://placeholder');
  const headers = Object.fromEntries(signedHeaders.map((h) => [h, String(req.headers[h])]));
  const request = new HttpRequest({
    method: req.method,
    protocol: 'http:',
    hostname: String(req.headers.host).split(':')[0],
    path: url.pathname,
    headers,
    body,
  });
  const date = String(req.headers['x-amz-date']);
  const signingDate = new Date(`${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`);
  const signer = new SignatureV4({ service: 'lambda', region: 'us-east-1', sha256: Sha256, credentials: LOCAL_CREDENTIALS });
  const resigned = (await signer.sign(request, { signingDate })) as HttpRequest;
  return resigned.headers.authorization === auth;
}

describe('AsyncInvoker over Lambda Invoke (createLambdaInvoker)', () => {
  let wire: Awaited<ReturnType<typeof startLambdaWire>> | undefined;
  afterEach(async () => {
    await wire?.close();
    wire = undefined;
  });
  const invoker = (url: string) => createLambdaInvoker(localClientConfig(url));

  it('success: queues the payload as JSON with InvocationType Event, signed for lambda', async () => {
    wire = await startLambdaWire([{ status: 202 }]);
    const payload = { source: 'stepcd.deferred-push', configPaths: ['apps/web/app.pipecd.yaml'] };

    await invoker(wire.url).invokeAsync('arn:aws:lambda:us-east-1:000000000000:function:stepcd-prod-github-webhook', payload);

    expect(wire.received).toHaveLength(1);
    const [call] = wire.received;
    expect(call).toMatchObject({
      method: 'POST',
      path: '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Astepcd-prod-github-webhook/invocations',
    });
    expect(call!.headers['x-amz-invocation-type']).toBe('Event');
    expect(JSON.parse(call!.body)).toEqual(payload);
    expect(call!.signatureValid).toBe(true);
  });

  it('success: a throttle is retried, and the retry is what queues it', async () => {
    const throttle = { status: 429, headers: { 'x-amzn-errortype': 'TooManyRequestsException' }, body: '{"Type":"User","message":"Rate Exceeded."}' };
    wire = await startLambdaWire([throttle, { status: 202 }]);
    await invoker(wire.url).invokeAsync('fn', {});
    expect(wire.received).toHaveLength(2);
  });

  it.each([
    ['fail: a throttle that outlasts the retries stays retryable', 429, 'TooManyRequestsException', ErrorName.Throttled, 3],
    ['fail: a service error that outlasts the retries is transient', 500, 'ServiceException', ErrorName.Transient, 3],
    ['fail: a missing function is terminal, and not retried', 404, 'ResourceNotFoundException', ErrorName.AwsError, 1],
    ['fail: a payload too large is terminal', 413, 'RequestTooLargeException', ErrorName.AwsError, 1],
  ])('%s', async (_name, status, type, expected, calls) => {
    const answer = {
      status,
      headers: { 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazonaws.awslambda/` },
      body: `{"Type":"User","message":"${type} said so"}`,
    };
    wire = await startLambdaWire([answer, answer, answer]);
    const err = await invoker(wire.url)
      .invokeAsync('fn', {})
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StepcdError);
    expect((err as StepcdError).name).toBe(expected);
    expect((err as Error).message).toBe(`invoking fn asynchronously: ${type}: ${type} said so`);
    expect(wire.received).toHaveLength(calls);
  });

  it('fail: an answer other than 202 means the event was not queued', async () => {
    wire = await startLambdaWire([{ status: 200, body: 'null' }]);
    await expect(invoker(wire.url).invokeAsync('fn', {})).rejects.toThrow(/answered 200, not 202/);
  });

  it('fail: nothing listening is a transient error, after the retries', async () => {
    wire = await startLambdaWire([]);
    const url = wire.url;
    await wire.close();
    wire = undefined;
    const err = await invoker(url)
      .invokeAsync('fn', {})
      .catch((e: unknown) => e);
    expect((err as StepcdError).name).toBe(ErrorName.Transient);
    expect((err as Error).message).toMatch(/^invoking fn asynchronously: lambda: the request failed/);
  });
});
