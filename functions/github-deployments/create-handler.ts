import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { mirrorDeployment, type MirrorDeps } from '../../src/github/mirror-deployment.js';
import { deploymentIdOf, type MirrorEvent } from '../../src/github/mirror-event.js';
import { createLogger } from '../../src/logging.js';
import type { LambdaDeps } from '../../src/runtime/lambda.js';

export const logger = createLogger('stepcd-github-deployments');

/**
 * stepcd's own events (rule GithubDeploymentsRule) and its executions' ends (GithubDeploymentsEndRule).
 * Mirrors each stepcd deployment as a GitHub Deployment; a failure is thrown so Lambda retries it.
 * Apart from handler.ts, which reads the configuration at import, so the local stack can serve it.
 */
export function createHandler(deps: LambdaDeps<MirrorDeps>) {
  return middy(async (event: MirrorEvent, context: object) => {
    const deploymentId = deploymentIdOf(event);
    if (!deploymentId) return { outcome: { kind: 'skipped', reason: 'not a stepcd deployment' } };
    logger.appendKeys({ deploymentId });
    const outcome = await mirrorDeployment({ deploymentId }, deps(context));
    logger.info('github deployment', { detailType: event['detail-type'], outcome });
    return { outcome };
  }).use(injectLambdaContext(logger, { resetKeys: true, logEvent: false }));
}
