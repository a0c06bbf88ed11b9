import { formatIssue, type ManifestIssue } from './manifest/issues.js';

/**
 * Step Functions matches Retry and Catch on the Lambda errorType, which is the error's `name`.
 * These names are therefore part of the ASL contract: change one here and in statemachines/ together.
 */
export const ErrorName = {
  // Retryable: the ASL retries these with backoff.
  Throttled: 'stepcd.Throttled',
  Transient: 'stepcd.Transient',
  // Terminal: the ASL sends these to rollback.
  InvalidManifest: 'stepcd.InvalidManifest',
  InvalidState: 'stepcd.InvalidState',
  NotExternal: 'stepcd.NotExternal',
  TooManyTaskSets: 'stepcd.TooManyTaskSets',
  StabilizeFailed: 'stepcd.StabilizeFailed',
  StableTimeout: 'stepcd.StableTimeout',
  DeploymentTimeout: 'stepcd.DeploymentTimeout',
  UnhealthyCanary: 'stepcd.UnhealthyCanary',
  AnalysisFailed: 'stepcd.AnalysisFailed',
  /** An ECS_RUN_TASK task stopped with an essential container not exiting 0. */
  TaskFailed: 'stepcd.TaskFailed',
  Rejected: 'stepcd.Rejected',
  Cancelled: 'stepcd.Cancelled',
  NotFound: 'stepcd.NotFound',
  Unauthorized: 'stepcd.Unauthorized',
  Config: 'stepcd.Config',
  AwsError: 'stepcd.AwsError',
  ConditionalWriteConflict: 'stepcd.ConditionalWriteConflict',
} as const;
export type ErrorName = (typeof ErrorName)[keyof typeof ErrorName];

export function isErrorName(name: string): name is ErrorName {
  return (Object.values(ErrorName) as string[]).includes(name);
}

export const RETRYABLE_ERRORS: readonly ErrorName[] = [ErrorName.Throttled, ErrorName.Transient];

/**
 * The base of every stepcd error. Abstract so that a kind is always its subclass: code branches with
 * `instanceof`, and `errorFromName` rebuilds the subclass from a name that crossed a boundary.
 */
export abstract class StepcdError extends Error {
  readonly retryable: boolean;
  constructor(name: ErrorName, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = name;
    this.retryable = (RETRYABLE_ERRORS as readonly string[]).includes(name);
  }
}

export class ThrottledError extends StepcdError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorName.Throttled, message, options);
  }
}

export class TransientError extends StepcdError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorName.Transient, message, options);
  }
}

export class InvalidStateError extends StepcdError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorName.InvalidState, message, options);
  }
}

export class NotExternalError extends StepcdError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorName.NotExternal, message, options);
  }
}

export class TooManyTaskSetsError extends StepcdError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorName.TooManyTaskSets, message, options);
  }
}

/** A task set could not reach STEADY_STATE; the message carries the ECS stop reason. */
export class StabilizeFailedError extends StepcdError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorName.StabilizeFailed, message, options);
  }
}

export class StableTimeoutError extends StepcdError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorName.StableTimeout, message, options);
  }
}

export class UnhealthyCanaryError extends StepcdError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorName.UnhealthyCanary, message, options);
  }
}

/** ANALYSIS: an alarm was in ALARM (or did not exist); the message names the alarm and its reason. */
export class AnalysisFailedError extends StepcdError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorName.AnalysisFailed, message, options);
  }
}

/** ECS_RUN_TASK: the task stopped with an essential container not exiting 0 (or never running). */
export class TaskFailedError extends StepcdError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorName.TaskFailed, message, options);
  }
}

/** An approver rejected the deployment (Slack or `stepcd reject`); sent to the task token by name. */
export class RejectedError extends StepcdError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorName.Rejected, message, options);
  }
}

export class CancelledError extends StepcdError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorName.Cancelled, message, options);
  }
}

/** The whole deployment ran past spec.timeout (default 6h). */
export class DeploymentTimeoutError extends StepcdError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorName.DeploymentTimeout, message, options);
  }
}

export class NotFoundError extends StepcdError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorName.NotFound, message, options);
  }
}

export class ConfigError extends StepcdError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorName.Config, message, options);
  }
}

export class UnauthorizedError extends StepcdError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorName.Unauthorized, message, options);
  }
}

/**
 * A DynamoDB write refused by its condition. `current` is the item as it stands (undefined: there is
 * none), so the caller can tell "someone else holds it" from "it does not exist" without asking again.
 */
export class ConditionalWriteConflictError extends StepcdError {
  readonly current: Record<string, unknown> | undefined;
  constructor(message: string, current: Record<string, unknown> | undefined, options?: { cause?: unknown }) {
    super(ErrorName.ConditionalWriteConflict, message, options);
    this.current = current;
  }
}

/** An AWS call failed in a way that retrying will not fix (a bad request, a missing resource...). */
export class AwsError extends StepcdError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorName.AwsError, message, options);
  }
}

/**
 * Carries every problem found, not just the first. Rebuilt from a name alone (`errorFromName`), it
 * has no issues and keeps the message it was given.
 */
export class InvalidManifestError extends StepcdError {
  readonly issues: ManifestIssue[];
  constructor(issues: ManifestIssue[], options?: { message?: string; cause?: unknown }) {
    const errors = issues.filter((i) => i.severity === 'error');
    super(
      ErrorName.InvalidManifest,
      options?.message ?? errors.map(formatIssue).join('; '),
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.issues = issues;
  }
}

type ErrorOptions = { cause?: unknown };

const BY_NAME: Record<ErrorName, (message: string, options?: ErrorOptions) => StepcdError> = {
  [ErrorName.Throttled]: (m, o) => new ThrottledError(m, o),
  [ErrorName.Transient]: (m, o) => new TransientError(m, o),
  [ErrorName.InvalidManifest]: (m, o) => new InvalidManifestError([], { message: m, ...o }),
  [ErrorName.InvalidState]: (m, o) => new InvalidStateError(m, o),
  [ErrorName.NotExternal]: (m, o) => new NotExternalError(m, o),
  [ErrorName.TooManyTaskSets]: (m, o) => new TooManyTaskSetsError(m, o),
  [ErrorName.StabilizeFailed]: (m, o) => new StabilizeFailedError(m, o),
  [ErrorName.StableTimeout]: (m, o) => new StableTimeoutError(m, o),
  [ErrorName.DeploymentTimeout]: (m, o) => new DeploymentTimeoutError(m, o),
  [ErrorName.UnhealthyCanary]: (m, o) => new UnhealthyCanaryError(m, o),
  [ErrorName.AnalysisFailed]: (m, o) => new AnalysisFailedError(m, o),
  [ErrorName.TaskFailed]: (m, o) => new TaskFailedError(m, o),
  [ErrorName.Rejected]: (m, o) => new RejectedError(m, o),
  [ErrorName.Cancelled]: (m, o) => new CancelledError(m, o),
  [ErrorName.NotFound]: (m, o) => new NotFoundError(m, o),
  [ErrorName.Unauthorized]: (m, o) => new UnauthorizedError(m, o),
  [ErrorName.Config]: (m, o) => new ConfigError(m, o),
  [ErrorName.AwsError]: (m, o) => new AwsError(m, o),
  // Rebuilt from a name, the refused item is not known.
  [ErrorName.ConditionalWriteConflict]: (m, o) => new ConditionalWriteConflictError(m, undefined, o),
};

/**
 * The subclass for an error known only by its name: a Step Functions failure's `Error` (with its
 * `Cause` as the message), or an error re-thrown with more context that must keep its kind.
 */
export function errorFromName(name: ErrorName, message: string, options?: ErrorOptions): StepcdError {
  return BY_NAME[name](message, options);
}

/**
 * The error codes the SDK's retry strategy treats as throttling (@smithy's THROTTLING_ERROR_CODES):
 * each service names it differently, DynamoDB's ProvisionedThroughputExceededException among them.
 */
const THROTTLING_CODES = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);

/** An AWS error code that means "slow down" (retry later), whatever the HTTP status. */
export function isThrottlingCode(name: string): boolean {
  return THROTTLING_CODES.has(name);
}

/**
 * Wraps an AWS SDK error with what was being done, keeping the original as `cause`, and classifies it
 * so the ASL can retry throttling and 5xx but not a bad request.
 */
export function wrapAwsError(doing: string, err: unknown): StepcdError {
  if (err instanceof StepcdError) return err;
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; $fault?: string };
  const name = e?.name ?? 'Error';
  const message = `${doing}: ${name}: ${e?.message ?? String(err)}`;
  const status = e?.$metadata?.httpStatusCode ?? 0;
  if (THROTTLING_CODES.has(name) || status === 429) return new ThrottledError(message, { cause: err });
  if (status >= 500 || e?.$fault === 'server' || name === 'TimeoutError' || name === 'ECONNRESET') {
    return new TransientError(message, { cause: err });
  }
  return new AwsError(message, { cause: err });
}
