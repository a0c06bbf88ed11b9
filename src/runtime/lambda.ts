import { loadConfig, type Config } from '../config/index.js';
import { secretsFromContext } from '../config/secrets.js';
import type { StepcdLogger } from '../logging.js';
import { awsClientConfigs } from './clients.js';
import { lazy, type FunctionBuilder } from './services.js';

/** A function's dependencies for one invocation, given the Lambda context the secrets middleware filled. */
export type LambdaDeps<T> = (context: object) => T;

export interface LambdaFunction<T> {
  /** The configuration, read from the environment once per container (a bad setting fails the cold start). */
  config(): Config;
  deps: LambdaDeps<T>;
}

/**
 * One function's services on AWS: `createHandler(lambdaFunction(logger, orchestrateServices).deps)`.
 * Configuration is read and clients configured on first use, once per container; the dependencies
 * are then built from the secrets of the first invocation (see Services). Each handler names its
 * own builder, so its bundle holds only the ports that function uses.
 */
export function lambdaFunction<T>(logger: StepcdLogger, build: FunctionBuilder<T>): LambdaFunction<T> {
  const config = lazy(() => loadConfig());
  const deps = lazy(() => build({ config: config(), clients: lazy(() => awsClientConfigs(config())), logger }));
  return { config: () => config(), deps: (context) => deps()(secretsFromContext(context)) };
}
