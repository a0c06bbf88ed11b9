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
} as const;
export type ErrorName = (typeof ErrorName)[keyof typeof ErrorName];

export const RETRYABLE_ERRORS: readonly ErrorName[] = [ErrorName.Throttled, ErrorName.Transient];

export class StepcdError extends Error {
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

/** One validation problem, always tied to a file and a field path. */
export interface ManifestIssue {
  file: string;
  /** Dotted field path, e.g. `spec.pipeline.stages[2].with.scale`; empty for whole-file problems. */
  path: string;
  message: string;
  severity: 'error' | 'warning';
}

export function formatIssue(issue: ManifestIssue): string {
  return issue.path ? `${issue.file}: ${issue.path} ${issue.message}` : `${issue.file}: ${issue.message}`;
}

/** Carries every problem found, not just the first. */
export class InvalidManifestError extends StepcdError {
  readonly issues: ManifestIssue[];
  constructor(issues: ManifestIssue[]) {
    const errors = issues.filter((i) => i.severity === 'error');
    super(ErrorName.InvalidManifest, errors.map(formatIssue).join('; '));
    this.issues = issues;
  }
}

/** The SDK's error name for throttling differs by service; these are what it retries as throttling. */
const THROTTLING_CODES = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'PriorRequestNotComplete']);

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
  return new StepcdError(ErrorName.AwsError, message, { cause: err });
}
