import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { secretParameterNames, secretsMiddleware } from '../../src/config/secrets.js';
import { checkDrift, type DriftCheckDeps } from '../../src/drift/check.js';
import { createLogger } from '../../src/logging.js';
import { lambdaFunction, type LambdaDeps } from '../../src/runtime/lambda.js';
import { driftCheckServices } from '../../src/runtime/services.js';

const logger = createLogger('stepcd-drift-check');

/** EventBridge Scheduler's payload, or `{ apps }` to check only some (an on-demand invoke). */
export interface DriftCheckEvent {
  apps?: string[];
}

export function createHandler(deps: LambdaDeps<DriftCheckDeps>) {
  return middy(async (event: DriftCheckEvent | undefined, context: object) => {
    const apps = Array.isArray(event?.apps) ? event.apps.filter((a): a is string => typeof a === 'string') : undefined;
    const results = await checkDrift(deps(context), apps);
    const count = (status: string) => results.filter((r) => r.status === status).length;
    logger.info('drift check', { apps: results.length, drifted: count('DRIFTED'), skipped: count('SKIPPED') });
    return { results };
  }).use(injectLambdaContext(logger, { resetKeys: true }));
}

export const handler = createHandler(lambdaFunction(logger, driftCheckServices).deps).use(
  secretsMiddleware(secretParameterNames({ required: [], optional: ['slackBotToken'] })),
);
