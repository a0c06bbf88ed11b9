import { InvalidManifestError } from '../errors.js';
import { MAX_PLAN_BYTES, type CommitRef, type DeploymentPlan, type TriggerRef } from '../domain/plan.js';
import type { AppManifest } from '../manifest/types.js';
import { deploymentIdFor, executionNameFor } from './ids.js';
import { chooseStrategy, quickSyncStages } from './strategy.js';

export interface BuildPlanInput {
  app: AppManifest;
  /** `owner/name` for GitHub, or the repository path for a local one. */
  repo: string;
  commit: CommitRef;
  trigger: TriggerRef;
  /** Whether the ECS service already exists; a first deployment quick-syncs unless alwaysUsePipeline. */
  serviceExists: boolean;
  now: Date;
  /** See deploymentIdFor: set for deliberate re-deploys of the same commit. */
  salt?: string;
}

/**
 * Resolves everything an execution needs into one JSON document (ARCHITECTURE §4). Pure: the same
 * input gives the same plan, which is what makes a redelivered webhook harmless.
 */
export function buildPlan({ app, repo, commit, trigger, serviceExists, now, salt }: BuildPlanInput): DeploymentPlan {
  const deploymentId = deploymentIdFor({ repo, configPath: app.configFile, sha: commit.sha, ...(salt !== undefined && { salt }) });
  // A standalone task has no service whose absence would make a first deployment special: its pipeline always applies.
  const strategy = chooseStrategy({
    hasPipeline: app.stages.length > 0,
    serviceExists: serviceExists || app.standalone !== undefined,
    alwaysUsePipeline: app.alwaysUsePipeline,
  });
  const plan: DeploymentPlan = {
    deploymentId,
    executionName: executionNameFor(app.name, commit.sha, deploymentId),
    app: { name: app.name, dir: app.dir, labels: app.labels, repo },
    commit,
    trigger,
    strategy,
    stages: strategy === 'PIPELINE' ? app.stages : quickSyncStages(app.standalone !== undefined),
    taskDefinition: app.taskDefinition,
    serviceDefinition: app.serviceDefinition,
    targetGroups: app.targetGroups,
    accessType: app.accessType,
    ...(app.standalone && { standalone: app.standalone }),
    options: {
      autoRollback: app.autoRollback,
      timeoutSeconds: app.timeoutSeconds,
      ...(app.slackChannel !== undefined && { slackChannel: app.slackChannel }),
      mentions: app.mentions,
      pollIntervalSeconds: app.pollIntervalSeconds,
      ...(app.stabilityBackstopSeconds !== undefined && { stabilityBackstopSeconds: app.stabilityBackstopSeconds }),
    },
    createdAt: now.toISOString(),
    ...(app.encryptedSecrets && { encryptedSecrets: app.encryptedSecrets }),
  };
  const bytes = Buffer.byteLength(JSON.stringify(plan), 'utf8');
  if (bytes > MAX_PLAN_BYTES) {
    throw new InvalidManifestError([
      {
        file: app.configFile,
        path: '',
        message: `makes a deployment plan of ${bytes} bytes, over the ${MAX_PLAN_BYTES}-byte limit (Step Functions accepts at most 256 KB of input); shrink the task or service definition`,
        severity: 'error',
      },
    ]);
  }
  return plan;
}
