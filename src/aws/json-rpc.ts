import { AwsError, isThrottlingCode, ThrottledError, TransientError, type StepcdError } from '../errors.js';
import type { AwsClientConfig } from './client-config.js';
import type { SignedService } from './regional-endpoint.js';
import { errorOf, sendSigned } from './signed-request.js';

/**
 * One call of an AWS JSON-RPC service (awsJson1_0 or 1_1: a POST to `/` naming
 * `<Service>.<Operation>` in X-Amz-Target), as one signed request. For the few operations (SSM
 * GetParameters, KMS Encrypt and Decrypt, EventBridge PutEvents, the history table's six) whose
 * generated clients would add their whole service's schemas and middleware to every cold start.
 */
export interface JsonRpcCall {
  /** The signing name and endpoint prefix: `ssm`, `kms`, `events`. */
  service: SignedService;
  /** `AmazonSSM.GetParameters`, `TrentService.Decrypt`, `AWSEvents.PutEvents`. */
  target: string;
  /** The service's JSON protocol version: 1.0 for DynamoDB and Step Functions, 1.1 (the default) for the others. */
  protocol?: '1.0' | '1.1';
  config: AwsClientConfig;
  input: object;
  /** What the call is for, first in every error's message: `publishing X to event bus Y`. */
  doing?: string;
}

/**
 * The reply's JSON on 200. Any other answer is thrown: a throttle or a server error that outlasted
 * sendSigned's retries as ThrottledError or TransientError (a later try may pass), anything else as
 * `refusal`'s error, an AwsError by default (a refusal will not pass however often it is sent). The
 * message names the operation and AWS's error, never the input; the cause is AWS's error code.
 */
export async function callJsonRpc<T>(
  call: JsonRpcCall,
  refusal: (message: string, cause: AwsReplyError) => StepcdError = (m, cause) => new AwsError(m, { cause }),
): Promise<T> {
  const prefix = call.doing ? `${call.doing}: ` : '';
  let reply;
  try {
    reply = await sendSigned({
      service: call.service,
      config: call.config,
      path: '/',
      headers: { 'content-type': `application/x-amz-json-${call.protocol ?? '1.1'}`, 'x-amz-target': call.target },
      body: JSON.stringify(call.input),
    });
  } catch (err) {
    throw prefix && err instanceof TransientError ? new TransientError(`${prefix}${err.message}`, { cause: err.cause }) : err;
  }
  if (reply.statusCode === 200) return JSON.parse(reply.text || '{}') as T;
  const { type, message: said } = errorOf(reply);
  const operation = call.target.split('.').pop();
  const message = `${prefix}${call.service}:${operation} answered ${reply.statusCode} ${type}: ${said}`.trim();
  const cause = new AwsReplyError(type, said, reply.statusCode);
  if (isThrottlingCode(type)) throw new ThrottledError(message, { cause });
  if (reply.statusCode >= 500) throw new TransientError(message, { cause });
  throw refusal(message, cause);
}

/** A service's operations, each with its input and its reply. */
export type Operations = { [operation: string]: [object, object] };

/** A typed client of one awsJson service: each operation one callJsonRpc. */
export interface JsonRpcClient<O extends Operations> {
  send<K extends keyof O & string>(operation: K, input: O[K][0], doing: string): Promise<O[K][1]>;
}

export interface JsonRpcService {
  service: SignedService;
  /** `DynamoDB_20120810`, `AWSStepFunctions`: the target is `<prefix>.<Operation>`. */
  targetPrefix: string;
  protocol: '1.0' | '1.1';
  /** The request as sent (DynamoDB's AttributeValues) and the reply as read (dates, plain values). */
  toWire?: (input: Record<string, unknown>) => object;
  fromWire?: (reply: Record<string, unknown>) => object;
}

export function jsonRpcClient<O extends Operations>(spec: JsonRpcService, config: AwsClientConfig): JsonRpcClient<O> {
  return {
    async send(operation, input, doing) {
      const reply = await callJsonRpc<Record<string, unknown>>({
        service: spec.service,
        target: `${spec.targetPrefix}.${operation}`,
        protocol: spec.protocol,
        config,
        input: spec.toWire ? spec.toWire(input as Record<string, unknown>) : input,
        doing,
      });
      return (spec.fromWire ? spec.fromWire(reply) : reply) as O[typeof operation][1];
    },
  };
}

/** AWS's error as the SDK would have thrown it: `name` is the error code (`InvalidCiphertextException`). */
export class AwsReplyError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
  }
}

/** The AWS error code a failed call carried (`ClusterNotFoundException`), if AWS named one. */
export function awsErrorCode(err: unknown): string | undefined {
  const cause = (err as { cause?: unknown })?.cause;
  return cause instanceof AwsReplyError ? cause.name : undefined;
}
