import { ConfigError, isThrottlingCode, ThrottledError, TransientError } from '../errors.js';
import type { AwsClientConfig } from './client-config.js';
import { errorOf, sendSigned } from './signed-request.js';

/**
 * SSM's GetParameters (decrypted), the one SSM call stepcd makes, as one signed request:
 * @aws-sdk/client-ssm would add about 210 KB of models for one operation to every cold start.
 */
export interface ParameterValues {
  values: Map<string, string>;
  /** Names SSM does not hold (GetParameters' InvalidParameters). */
  invalid: string[];
}

/** GetParameters takes at most 10 names per call. */
const NAMES_PER_CALL = 10;

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
  const call = {
    service: 'ssm',
    config,
    path: '/',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonSSM.GetParameters' },
    body: JSON.stringify({ Names: names, WithDecryption: true }),
  };
  const reply = await sendSigned(call);
  if (reply.statusCode === 200) {
    const json = JSON.parse(reply.text || '{}') as SsmReply;
    const values = new Map<string, string>();
    for (const p of json.Parameters ?? []) if (p.Name !== undefined && p.Value !== undefined) values.set(p.Name, p.Value);
    return { values, invalid: json.InvalidParameters ?? [] };
  }
  const { type, message: said } = errorOf(reply);
  const message = `ssm:GetParameters answered ${reply.statusCode} ${type}: ${said}`.trim();
  // A throttle or a server error that outlasted the retries may pass; a refusal (AccessDenied, a bad name) will not.
  if (isThrottlingCode(type)) throw new ThrottledError(message);
  if (reply.statusCode >= 500) throw new TransientError(message);
  throw new ConfigError(message);
}

interface SsmReply {
  Parameters?: { Name?: string; Value?: string }[];
  InvalidParameters?: string[];
}
