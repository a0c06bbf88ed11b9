import { loadConfig, type Config } from '../config/index.js';
import { secretsFromContext } from '../config/secrets.js';
import type { StepcdLogger } from '../logging.js';
import { awsClientConfigs } from './clients.js';
import { composeServices, lazy, type Services } from './services.js';

type Builders = Omit<Services, 'config' | 'core' | 'approvals'>;

/** A function's dependencies for one invocation, given the Lambda context the secrets middleware filled. */
export type LambdaDeps<T> = (context: object) => T;

export type LambdaServices = { [K in keyof Builders]: LambdaDeps<ReturnType<Builders[K]>> } & {
  /** The configuration, read from the environment once per container (a bad setting fails the cold start). */
  config(): Config;
};

/**
 * The services on AWS, as every handler uses them: `createHandler(lambdaServices(logger).orchestrate)`.
 * Configuration is read and clients configured on first use, once per container; each function's
 * dependencies are then built from the secrets of its first invocation (see Services).
 */
export function lambdaServices(logger: StepcdLogger): LambdaServices {
  const config = lazy(() => loadConfig());
  const services = lazy(() => composeServices({ config: config(), clients: lazy(() => awsClientConfigs(config())), logger }));
  const of =
    <K extends keyof Builders>(name: K): LambdaDeps<ReturnType<Builders[K]>> =>
    (context) =>
      services()[name](secretsFromContext(context)) as ReturnType<Builders[K]>;
  return {
    config: () => config(),
    orchestrate: of('orchestrate'),
    stage: of('stage'),
    approvalRequest: of('approvalRequest'),
    slackInteractions: of('slackInteractions'),
    finaliser: of('finaliser'),
    githubWebhook: of('githubWebhook'),
    githubDeployments: of('githubDeployments'),
    driftCheck: of('driftCheck'),
    ecsEvents: of('ecsEvents'),
  };
}
