import { LOCAL_ACCOUNT, LOCAL_REGION } from '../../aws/client-config.js';
import { SfnApiError } from './errors.js';

const NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** Names of state machines and executions: 1–80 of `[A-Za-z0-9_-]` (also what CloudWatch logging needs). */
export function assertValidName(name: string, what: string): void {
  if (!NAME.test(name)) {
    throw new SfnApiError('InvalidName', `invalid ${what} name '${name}': use 1 to 80 characters of [A-Za-z0-9_-]`);
  }
}

export function stateMachineArn(name: string): string {
  return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`;
}

export function executionArn(stateMachineName: string, name: string): string {
  return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:execution:${stateMachineName}:${name}`;
}

/** The state machine name inside a state machine ARN; InvalidArn when it is not one. */
export function stateMachineNameOf(arn: string): string {
  const m = /^arn:aws:states:[^:]*:[^:]*:stateMachine:([^:]+)$/.exec(arn);
  if (!m?.[1]) throw new SfnApiError('InvalidArn', `invalid state machine ARN: ${arn}`);
  return m[1];
}

export function assertExecutionArn(arn: string): void {
  if (!/^arn:aws:states:[^:]*:[^:]*:execution:[^:]+:[^:]+$/.test(arn)) {
    throw new SfnApiError('InvalidArn', `invalid execution ARN: ${arn}`);
  }
}
