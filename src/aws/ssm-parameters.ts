import { ConfigError } from '../errors.js';
import type { AwsClientConfig } from './client-config.js';
import { callJsonRpc } from './json-rpc.js';

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
  const input = { Names: names, WithDecryption: true };
  // A refusal (AccessDenied, a bad name) is a configuration problem: the function cannot start without its secrets.
  const json = await callJsonRpc<SsmReply>({ service: 'ssm', target: 'AmazonSSM.GetParameters', config, input }, (m) => new ConfigError(m));
  const values = new Map<string, string>();
  for (const p of json.Parameters ?? []) if (p.Name !== undefined && p.Value !== undefined) values.set(p.Name, p.Value);
  return { values, invalid: json.InvalidParameters ?? [] };
}

interface SsmReply {
  Parameters?: { Name?: string; Value?: string }[];
  InvalidParameters?: string[];
}
