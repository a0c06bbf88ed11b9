import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { loadConfig } from '../../src/config/index.js';
import { secretParameterNames, secretsFromContext, secretsMiddleware } from '../../src/config/secrets.js';
import { checkDrift, type DriftCheckDeps } from '../../src/drift/check.js';
import { createLogger } from '../../src/logging.js';
import { awsClientConfigs } from '../../src/runtime/deps.js';
import { buildDriftCheckDeps } from '../../src/runtime/drift-deps.js';

const logger = createLogger('stepcd-drift-check');

/** EventBridge Scheduler's payload, or `{ apps }` to check only some (an on-demand invoke). */
export interface DriftCheckEvent {
  apps?: string[];
}

export function createHandler(deps: (context: object) => DriftCheckDeps) {
  return middy(async (event: DriftCheckEvent | undefined, context: object) => {
    const apps = Array.isArray(event?.apps) ? event.apps.filter((a): a is string => typeof a === 'string') : undefined;
    const results = await checkDrift(deps(context), apps);
    const count = (status: string) => results.filter((r) => r.status === status).length;
    logger.info('drift check', { apps: results.length, drifted: count('DRIFTED'), skipped: count('SKIPPED') });
    return { results };
  }).use(injectLambdaContext(logger, { resetKeys: true }));
}

let cached: DriftCheckDeps | undefined;

export const handler = createHandler((context) => {
  const config = loadConfig();
  cached ??= buildDriftCheckDeps({ config, clients: awsClientConfigs(config), secrets: secretsFromContext(context), logger });
  return cached;
}).use(secretsMiddleware(secretParameterNames({ required: [], optional: ['slackBotToken'] })));
