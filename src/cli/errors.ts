import { ErrorName, StepcdError } from '../errors.js';

/**
 * A mistake the user can fix (a missing argument, no local stack, an unknown deployment). It is
 * printed as one line with `hint` saying what to do, and exits 2 for usage or 1 otherwise.
 */
export class CliError extends StepcdError {
  readonly hint?: string;
  readonly exitCode: number;
  constructor(message: string, options: { hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(ErrorName.Config, message, options.cause === undefined ? undefined : { cause: options.cause });
    if (options.hint !== undefined) this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
  }
}

export function usageError(message: string, hint = 'see `stepcd help`'): CliError {
  return new CliError(message, { hint, exitCode: 2 });
}
