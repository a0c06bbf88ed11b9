import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import { setTimeout as sleep } from 'node:timers/promises';
import { isThrottlingCode, TransientError } from '../errors.js';
import type { AwsClientConfig } from './client-config.js';
import { regionalEndpoint, type SignedService } from './regional-endpoint.js';

/**
 * One SigV4-signed request on the SDK's own signer, credential chain and HTTP handler, for the few
 * operations (Lambda Invoke, and the JSON-RPC calls of src/aws/json-rpc.ts) whose generated clients
 * would each add their whole service's schemas and error classes to a function's cold start.
 */
export interface SignedCall {
  /** The signing name, which is also the endpoint prefix (`ssm`, `lambda`). */
  service: SignedService;
  config: AwsClientConfig;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface SignedReply {
  statusCode: number;
  headers: Record<string, string | undefined>;
  text: string;
}

const handler = new NodeHttpHandler({ connectionTimeout: 3_000, requestTimeout: 10_000 });

/**
 * One default chain per profile for the process (the CLI's `--profile` names one; a function has
 * none): each caches what it resolved, so a call does not walk the chain again.
 */
const ambient = new Map<string, ReturnType<typeof defaultProvider>>();
function ambientCredentials(profile = ''): ReturnType<typeof defaultProvider> {
  let chain = ambient.get(profile);
  if (!chain) ambient.set(profile, (chain = defaultProvider(profile ? { profile } : {})));
  return chain;
}

/** What AWS answers a request signed at a time too far from its own (the SDK's list). */
const CLOCK_SKEW_CODES = new Set([
  'AuthFailure',
  'InvalidSignatureException',
  'RequestExpired',
  'RequestInTheFuture',
  'RequestTimeTooSkewed',
  'SignatureDoesNotMatch',
]);
/** AWS refuses a signature more than 5 minutes off its clock. */
const MAX_SKEW_MS = 300_000;

/**
 * How far this machine's clock is from AWS's, learnt from the `Date` of AWS's replies as the SDK's
 * signing middleware learns it: a laptop's clock (a WSL VM after sleep) can drift past the 5
 * minutes a signature may be off. One offset for the process: there is one clock.
 */
let clockOffsetMs = 0;

/** Takes AWS's time from a reply; true when it moved the offset (the clock was skewed). */
function learnClock(reply: SignedReply): boolean {
  const server = Date.parse(reply.headers.date ?? '');
  if (Number.isNaN(server) || Math.abs(server - (Date.now() + clockOffsetMs)) < MAX_SKEW_MS) return false;
  clockOffsetMs = server - Date.now();
  return true;
}

/**
 * Sends the call, again after a connection that failed, a throttle or a server error, up to the
 * config's maxAttempts (3 by default) with the SDK's standard backoff, and at once after a refusal
 * for clock skew that corrected the clock. The reply it ends with is the caller's to read; a last
 * attempt that could not connect is a TransientError.
 */
export async function sendSigned(call: SignedCall): Promise<SignedReply> {
  const attempts = Math.max(1, call.config.maxAttempts ?? 3);
  for (let attempt = 1; ; attempt++) {
    let reply: SignedReply;
    try {
      reply = await sendOnce(call);
    } catch (err) {
      if (attempt >= attempts) throw err;
      await sleep(backoffMs(attempt, false));
      continue;
    }
    const code = reply.statusCode >= 400 ? errorOf(reply).type : '';
    if (learnClock(reply) && CLOCK_SKEW_CODES.has(code) && attempt < attempts) continue;
    const throttled = reply.statusCode === 429 || isThrottlingCode(code);
    if (attempt >= attempts || !(throttled || reply.statusCode >= 500)) return reply;
    await sleep(backoffMs(attempt, throttled));
  }
}

async function sendOnce(call: SignedCall): Promise<SignedReply> {
  const url = new URL(endpointFor(call.service, call.config));
  const request = new HttpRequest({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: `${url.pathname.replace(/\/$/, '')}${call.path}`,
    headers: { host: url.host, 'content-length': String(Buffer.byteLength(call.body)), ...call.headers },
    body: call.body,
  });
  const signer = new SignatureV4({
    service: call.service,
    region: call.config.region,
    sha256: Sha256,
    credentials: call.config.credentials ?? ambientCredentials(call.config.profile),
  });
  try {
    const signed = await signer.sign(request, { signingDate: new Date(Date.now() + clockOffsetMs) });
    const { response } = await handler.handle(signed as HttpRequest);
    return { statusCode: response.statusCode, headers: response.headers, text: await readBody(response.body as AsyncIterable<Uint8Array> | undefined) };
  } catch (err) {
    // The connection failed, or the credentials could not be loaded.
    throw new TransientError(`${call.service}: the request failed: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * The error an AWS JSON reply names: the `x-amzn-errortype` header (REST JSON services such as
 * Lambda), else the body's `__type` or `code` (JSON RPC services such as SSM), without the
 * `namespace#` prefix or `:url` suffix either may carry.
 */
export function errorOf(reply: SignedReply): { type: string; message: string } {
  let body: { __type?: string; code?: string; message?: string; Message?: string } = {};
  try {
    body = reply.text ? (JSON.parse(reply.text) as typeof body) : {};
  } catch {
    // Not JSON (a proxy's HTML page): the status says enough.
  }
  const raw = reply.headers['x-amzn-errortype'] ?? body.__type ?? body.code ?? 'UnknownError';
  const type = raw.split(':')[0]!.split('#').pop() || 'UnknownError';
  return { type, message: body.message ?? body.Message ?? '' };
}

/** The SDK's standard-mode backoff (full jitter) after attempt 1, 2, …. */
function backoffMs(attempt: number, throttled: boolean): number {
  const base = throttled ? 500 : 100;
  return Math.random() * Math.min(20_000, base * 2 ** (attempt - 1));
}

/** The SDK's service ids, which name each service's endpoint variable (`events` is EventBridge's, `states` SFN's). */
const SERVICE_IDS: Record<SignedService, string> = {
  dynamodb: 'DYNAMODB',
  ecs: 'ECS',
  events: 'EVENTBRIDGE',
  kms: 'KMS',
  lambda: 'LAMBDA',
  ssm: 'SSM',
  states: 'SFN',
};

/**
 * Where a call goes, in the order the SDK resolves it: the config's endpoint (the local cloud always
 * sets one), then AWS_ENDPOINT_URL_<SERVICE_ID>, then AWS_ENDPOINT_URL (both ignored when
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true), then the service's own endpoint rules for the region
 * (FIPS and dual-stack included).
 */
export function endpointFor(service: SignedService, config: Pick<AwsClientConfig, 'endpoint' | 'region'>, env: NodeJS.ProcessEnv = process.env): string {
  if (config.endpoint) return config.endpoint;
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() !== 'true') {
    const configured = env[`AWS_ENDPOINT_URL_${SERVICE_IDS[service]}`] || env.AWS_ENDPOINT_URL;
    if (configured) return configured;
  }
  return regionalEndpoint(service, config.region, env);
}

async function readBody(body: AsyncIterable<Uint8Array> | undefined): Promise<string> {
  if (!body) return '';
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
