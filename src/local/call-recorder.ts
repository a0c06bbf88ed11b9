import type { AwsRequest, ServiceHandler } from './aws-server.js';

/**
 * One AWS request as the caller sent it: who signed it (the access key id, which locally names the
 * function or the CLI: see localClientConfig), the SigV4 signing service, the operation and its
 * input. test/iam turns these into IAM requests and simulates them against the deployed roles.
 */
export interface RecordedCall {
  principal: string;
  /** The SigV4 signing name: `ecs`, `elasticloadbalancing`, `monitoring`, `states`, `events`, `dynamodb`, ... */
  service: string;
  operation: string;
  /** The JSON body, or the awsQuery form as flat `key → value` pairs (`Actions.member.1.Type`). */
  input: Record<string, unknown>;
}

const CREDENTIAL = /Credential=([^/,\s]+)\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/;

/**
 * Records every request the local cloud receives, on the AWS port (as the first ServiceHandler,
 * which answers nothing) and in front of dynalite. Off unless asked for (the tests ask): a
 * long-running `stepcd local` would otherwise keep every request body.
 */
export class CallRecorder {
  readonly calls: RecordedCall[] = [];

  constructor(private readonly enabled = true) {}

  /** Put first in startAwsServer's handlers: records, then lets the real services answer. */
  readonly handler: ServiceHandler = async (req: AwsRequest) => {
    this.recordHttp(req.headers, req.body, req.target, req.path);
    return undefined;
  };

  /** Records a call that is not an HTTP request here (the state machine invoking its functions). */
  record(call: RecordedCall): void {
    if (this.enabled) this.calls.push(call);
  }

  recordHttp(headers: Record<string, string | undefined>, body: string, target?: string, path = '/'): void {
    if (!this.enabled) return;
    const signed = CREDENTIAL.exec(headers.authorization ?? '');
    if (!signed) return;
    const [, principal = '', service = ''] = signed;
    const form = target ? undefined : parseForm(body);
    const operation = target ? target.slice(target.lastIndexOf('.') + 1) : ((form?.Action as string | undefined) ?? operationInPath(path));
    if (!operation) return;
    this.calls.push({ principal, service, operation, input: form ?? parseJson(body) });
  }
}

function parseJson(body: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body || '{}');
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function parseForm(body: string): Record<string, unknown> | undefined {
  if (!/^Action=|&Action=/.test(body)) return undefined;
  return Object.fromEntries(new URLSearchParams(body));
}

/** smithy rpcv2 paths: `/service/<Service>/operation/<Operation>`. */
function operationInPath(path: string): string | undefined {
  return /\/operation\/([A-Za-z0-9]+)/.exec(path)?.[1];
}
