import type { ServiceHandler } from '../aws-server.js';
import { stsServiceHandler, type CallerIdentity } from './handler.js';

export type { CallerIdentity } from './handler.js';

export const LOCAL_CALLER_ARN = 'arn:aws:iam::000000000000:user/local-operator';

/**
 * The local STS: answers GetCallerIdentity with the ARN of whoever signed the request. Every local
 * client signs with the same static key, so by default everyone is `local-operator`; tests give a key
 * id its own ARN (`setIdentity`) to act as several people, or change the default (`setCallerArn`).
 */
export interface LocalSts {
  handler: ServiceHandler;
  /** Action names in the order they were called. */
  calls: string[];
  setCallerArn(arn: string): void;
  setIdentity(accessKeyId: string, arn: string): void;
}

export function createLocalSts(callerArn: string = LOCAL_CALLER_ARN): LocalSts {
  let fallback = callerArn;
  const byKey = new Map<string, string>();
  const calls: string[] = [];
  const lookup = (accessKeyId: string | undefined): CallerIdentity => {
    const arn = (accessKeyId && byKey.get(accessKeyId)) || fallback;
    return { arn, account: accountOf(arn), userId: accessKeyId ?? 'AIDALOCALOPERATOR' };
  };
  return {
    handler: stsServiceHandler(lookup, calls),
    calls,
    setCallerArn(arn) {
      fallback = arn;
    },
    setIdentity(accessKeyId, arn) {
      byKey.set(accessKeyId, arn);
    },
  };
}

function accountOf(arn: string): string {
  return arn.split(':')[4] || '000000000000';
}
