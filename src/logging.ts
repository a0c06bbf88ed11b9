import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The keys every stepcd log line may carry (STYLE §4). They are passed per call rather than with
 * `appendKeys`, because one invocation (a webhook push) works on several deployments in parallel
 * and appended keys are shared by the whole logger.
 */
export interface LogKeys {
  deploymentId?: string;
  app?: string;
  stage?: string;
  executionArn?: string;
}

export type StepcdLogger = Logger;

/**
 * The one Logger factory. Unless `logLevel` is given (tests pass 'SILENT'), the level comes from
 * powertools' own `POWERTOOLS_LOG_LEVEL`, read by the library, so src/config stays the only stepcd
 * reader of process.env.
 */
export function createLogger(serviceName: string, options: { logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT' } = {}): StepcdLogger {
  return new Logger({ serviceName, ...(options.logLevel ? { logLevel: options.logLevel } : {}) });
}

/** A child logger whose every line carries `keys`; safe to use for one deployment among many. */
export function loggerFor(logger: StepcdLogger, keys: LogKeys): StepcdLogger {
  const child = logger.createChild();
  child.appendKeys(definedOnly(keys));
  return child;
}

function definedOnly(keys: LogKeys): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(keys)) if (typeof v === 'string') out[k] = v;
  return out;
}
