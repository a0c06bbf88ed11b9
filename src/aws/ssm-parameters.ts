import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';
import { ConfigError, ThrottledError, TransientError } from '../errors.js';
import type { AwsClientConfig } from './client-config.js';

/**
 * SSM's GetParameters (decrypted), the one SSM call stepcd makes, on the SDK's own signer,
 * credential chain and HTTP handler. Every function bundles those already for its other clients;
 * @aws-sdk/client-ssm would add about 210 KB of models for one operation to every cold start.
 */
export interface ParameterValues {
  values: Map<string, string>;
  /** Names SSM does not hold (GetParameters' InvalidParameters). */
  invalid: string[];
}

/** GetParameters takes at most 10 names per call. */
const NAMES_PER_CALL = 10;
const handler = new NodeHttpHandler({ connectionTimeout: 3_000, requestTimeout: 10_000 });

export async function getParameters(names: readonly string[], config: AwsClientConfig): Promise<ParameterValues> {
  const out: ParameterValues = { values: new Map(), invalid: [] };
  for (let i = 0; i < names.length; i += NAMES_PER_CALL) {
    const page = await getParametersPage(names.slice(i, i + NAMES_PER_CALL), config);
    for (const [name, value] of page.values) out.values.set(name, value);
    out.invalid.push(...page.invalid);
  }
  return out;
}

async function getParametersPage(names: string[], config: AwsClientConfig): Promise<ParameterValues> {
  const url = new URL(config.endpoint ?? `https://ssm.${config.region}.${config.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'}`);
  const body = JSON.stringify({ Names: names, WithDecryption: true });
  const request = new HttpRequest({
    method: 'POST',
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    headers: {
      host: url.host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AmazonSSM.GetParameters',
      'content-length': String(Buffer.byteLength(body)),
    },
    body,
  });
  const signer = new SignatureV4({ service: 'ssm', region: config.region, sha256: Sha256, credentials: config.credentials ?? defaultProvider() });
  const attempts = Math.max(1, config.maxAttempts ?? 3);
  let last: Error = new TransientError('ssm:GetParameters was not attempted');
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let statusCode: number;
    let text: string;
    try {
      const { response } = await handler.handle((await signer.sign(request)) as HttpRequest);
      statusCode = response.statusCode;
      text = await readBody(response.body as AsyncIterable<Uint8Array> | undefined);
    } catch (err) {
      // The connection failed (or credentials could not be loaded): worth another try.
      last = new TransientError(`ssm:GetParameters failed: ${(err as Error).message}`, { cause: err });
      continue;
    }
    const json = (text ? JSON.parse(text) : {}) as SsmReply;
    if (statusCode === 200) {
      const values = new Map<string, string>();
      for (const p of json.Parameters ?? []) if (p.Name !== undefined && p.Value !== undefined) values.set(p.Name, p.Value);
      return { values, invalid: json.InvalidParameters ?? [] };
    }
    const type = (json.__type ?? 'UnknownError').split('#').pop() ?? 'UnknownError';
    const message = `ssm:GetParameters answered ${statusCode} ${type}: ${json.message ?? json.Message ?? ''}`.trim();
    // Throttling and server errors are worth another try; a refusal (AccessDenied, a bad name) is not.
    if (type === 'ThrottlingException') last = new ThrottledError(message);
    else if (statusCode >= 500) last = new TransientError(message);
    else throw new ConfigError(message);
  }
  throw last;
}

interface SsmReply {
  Parameters?: { Name?: string; Value?: string }[];
  InvalidParameters?: string[];
  __type?: string;
  message?: string;
  Message?: string;
}

async function readBody(body: AsyncIterable<Uint8Array> | undefined): Promise<string> {
  if (!body) return '';
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
