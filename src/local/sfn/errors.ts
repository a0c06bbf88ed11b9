/**
 * An error the local SFN API answers with, named exactly as AWS names it (`ExecutionAlreadyExists`,
 * `TaskTimedOut`, ...), so the SDK turns it into the same modelled exception class it would get from AWS.
 */
export class SfnApiError extends Error {
  constructor(
    readonly code: SfnErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = code;
  }
}

export type SfnErrorCode =
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'InvalidArn'
  | 'InvalidName'
  | 'InvalidDefinition'
  | 'InvalidExecutionInput'
  | 'InvalidOutput'
  | 'InvalidToken'
  | 'TaskTimedOut'
  | 'StateMachineDoesNotExist'
  | 'StateMachineAlreadyExists'
  | 'ValidationException'
  | 'UnknownOperationException'
  | 'SerializationException';

/**
 * The error a state fails with inside the interpreter. aws-local-stepfunctions matches Retry and Catch
 * on `name` and reports `message` as the cause, so `name` is the ASL error and `message` the cause.
 * `isRetryable`/`isCatchable` are the interpreter's own switches (see its RuntimeError).
 */
export class StateError extends Error {
  readonly isRetryable: boolean;
  readonly isCatchable: boolean;
  constructor(error: string, cause: string, opts: { retryable?: boolean; catchable?: boolean } = {}) {
    super(cause);
    this.name = error;
    this.isRetryable = opts.retryable ?? true;
    this.isCatchable = opts.catchable ?? true;
  }
}

/**
 * Thrown into a task of an execution that was stopped: neither Retry nor Catch may run after
 * StopExecution (AWS does not run Catch on abort), and nothing may call a Lambda again.
 */
export function executionStoppedError(): StateError {
  return new StateError('States.Aborted', 'execution was stopped', { retryable: false, catchable: false });
}
