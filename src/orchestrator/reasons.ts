import { ErrorName } from '../errors.js';

/**
 * Turns what the ASL's Catch recorded into one line a human can act on. Lambda errors arrive with a
 * JSON Cause ({errorType, errorMessage}); Step Functions' own errors with a plain one.
 */
export function describeFailure(error: { Error: string; Cause?: string } | undefined, stageName?: string): string {
  if (!error) return 'failed for an unknown reason';
  const where = stageName ? ` in ${stageName}` : '';
  const message = causeMessage(error.Cause);
  switch (error.Error) {
    case 'States.Timeout':
      return stageName === 'WAIT_APPROVAL' ? 'approval timed out' : `timed out${where}`;
    case ErrorName.Rejected:
      return message || 'rejected';
    case ErrorName.Cancelled:
      return message || 'cancelled';
    // Found by the advance between stages: the stage in the cursor had already succeeded.
    case ErrorName.DeploymentTimeout:
      return message || 'deployment exceeded its timeout (spec.timeout)';
    default:
      return message ? `${error.Error}${where}: ${message}` : `${error.Error}${where}`;
  }
}

function causeMessage(cause: string | undefined): string {
  if (!cause) return '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed?.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // A plain-text cause (SendTaskFailure, States.*) is already the message.
  }
  return cause;
}

export function outcomeOf(errorName: string | undefined): 'FAILURE' | 'CANCELLED' {
  return errorName === ErrorName.Cancelled ? 'CANCELLED' : 'FAILURE';
}
