import { randomUUID } from 'node:crypto';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../../aws/client-config.js';
import { StateError } from './errors.js';

/**
 * The parts of the Lambda context object that handlers (middy, powertools Logger) read, so the real
 * handlers in functions/ run unchanged when the local SFN invokes them.
 */
export interface LocalLambdaContext {
  callbackWaitsForEmptyEventLoop: boolean;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  getRemainingTimeInMillis(): number;
  done(error?: Error, result?: unknown): void;
  fail(error: Error | string): void;
  succeed(messageOrObject: unknown): void;
}

export type LocalFunction = (event: unknown, context: LocalLambdaContext) => Promise<unknown>;

/** Local stand-in for Lambda's default timeout budget; handlers only use it to plan their work. */
const REMAINING_MS = 900_000;

/**
 * Functions the local SFN can call, by name. A definition names them the way a deployed one does
 * (a bare name, a full ARN, or a serverless-style `${self:service}-${sls:stage}-name` whose placeholders
 * were never substituted); `resolve` maps all of those back to a registered name.
 */
export class LocalFunctions {
  private readonly fns = new Map<string, LocalFunction>();
  private readonly counts = new Map<string, number>();

  register(name: string, fn: LocalFunction): void {
    this.fns.set(name, fn);
  }

  /** Invocations per function name since start (benchmarks count Lambda calls with it). */
  invocations(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  resolve(reference: string): string | undefined {
    const name = functionNameOf(reference);
    if (this.fns.has(name)) return name;
    // Deployed names are `<service>-<stage>-<function>`: accept that shape for a registered short name.
    return [...this.fns.keys()].find((registered) => name.endsWith(`-${registered}`));
  }

  /**
   * Calls the function as Lambda would: the event is a JSON copy, the result is JSON-serialised, and a
   * thrown error fails the state with `error = err.name` and the Lambda error document as the cause,
   * which is what Step Functions shows for a function error through the optimised integration.
   */
  async invoke(reference: string, event: unknown): Promise<unknown> {
    const name = this.resolve(reference);
    const fn = name === undefined ? undefined : this.fns.get(name);
    if (name === undefined || !fn) {
      throw new StateError(
        'Lambda.ResourceNotFoundException',
        `Function not found: ${reference} (registered locally: ${[...this.fns.keys()].join(', ') || 'none'})`,
      );
    }
    this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
    const started = Date.now();
    const context = lambdaContext(name, () => REMAINING_MS - (Date.now() - started));
    let result: unknown;
    try {
      result = await fn(jsonCopy(event), context);
    } catch (err) {
      throw functionError(err);
    }
    return jsonCopy(result ?? null);
  }
}

/** `arn:aws:lambda:r:a:function:name[:qualifier]` or `name[:qualifier]` → `name`, placeholders dropped. */
export function functionNameOf(reference: string): string {
  const withoutPlaceholders = reference.replace(/\$\{[^}]*\}/g, '');
  const marker = withoutPlaceholders.lastIndexOf(':function:');
  const tail = marker >= 0 ? withoutPlaceholders.slice(marker + ':function:'.length) : withoutPlaceholders;
  return tail.split(':')[0] ?? tail;
}

export function functionError(err: unknown): StateError {
  const e = err instanceof Error ? err : new Error(String(err));
  const errorType = e.name || 'Error';
  return new StateError(errorType, JSON.stringify({ errorType, errorMessage: e.message }));
}

function lambdaContext(name: string, remaining: () => number): LocalLambdaContext {
  const noop = (): void => undefined;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${name}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: `local/[$LATEST]${randomUUID().replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, remaining()),
    done: noop,
    fail: noop,
    succeed: noop,
  };
}

function jsonCopy(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}
