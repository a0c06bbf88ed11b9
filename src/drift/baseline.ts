import type { LastGood } from '../domain/deployment.js';
import type { DeploymentPlan } from '../domain/plan.js';
import type { DriftBaseline } from './types.js';

/** The UpdateService fields stepcd applies on an EXTERNAL service (src/stages/service.ts). */
export const COMPARED_SERVICE_FIELDS = [
  'healthCheckGracePeriodSeconds',
  'enableECSManagedTags',
  'propagateTags',
  'placementConstraints',
  'placementStrategy',
] as const;

/** The baseline of the last good deployment, from the plan it ran and what app state recorded. */
export function baselineFrom(plan: DeploymentPlan, lastGood: LastGood): DriftBaseline {
  const def = plan.serviceDefinition;
  const serviceFields: Record<string, unknown> = {};
  for (const field of COMPARED_SERVICE_FIELDS) if (def[field] !== undefined) serviceFields[field] = def[field];
  const { primary, canary } = plan.targetGroups;
  return {
    deploymentId: lastGood.deploymentId,
    commitSha: lastGood.commitSha,
    cluster: def.cluster,
    serviceName: def.serviceName,
    taskDefinitionArn: lastGood.taskDefinitionArn,
    ...(typeof def.desiredCount === 'number' ? { desiredCount: def.desiredCount } : {}),
    serviceFields,
    ...(primary && canary ? { targetGroups: { primary: primary.targetGroupArn, canary: canary.targetGroupArn } } : {}),
    ...(plan.options.slackChannel ? { slackChannel: plan.options.slackChannel } : {}),
    labels: plan.app.labels,
  };
}
