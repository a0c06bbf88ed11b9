import type { ServiceDefinition } from '../domain/plan.js';
import type { ServiceInfo, ServiceUpdate, TaskSetPlacement } from './ports.js';

/**
 * With the EXTERNAL deployment controller, ECS rejects `networkConfiguration`, `launchType`,
 * `loadBalancers` and `taskDefinition` on CreateService ("NetworkConfiguration must be null."): they
 * belong to each task set. PipeCD users write them in servicedef.yaml, so we move them from the
 * service to the task sets instead of sending them to CreateService.
 */
const TASK_SET_FIELDS = ['launchType', 'platformVersion', 'networkConfiguration', 'capacityProviderStrategy', 'serviceRegistries'] as const;
/** Never sent to CreateService for an EXTERNAL service; the task sets carry these. */
const DROPPED_FIELDS = ['loadBalancers', 'taskDefinition', 'deploymentController', 'tags', ...TASK_SET_FIELDS];

export interface SplitServiceDefinition {
  service: Record<string, unknown>;
  taskSet: TaskSetPlacement;
}

export function splitServiceDefinition(definition: ServiceDefinition): SplitServiceDefinition {
  const service: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(definition)) {
    if (!DROPPED_FIELDS.includes(key)) service[key] = value;
  }
  service.deploymentController = { type: 'EXTERNAL' };
  const taskSet: TaskSetPlacement = {};
  for (const key of TASK_SET_FIELDS) {
    if (definition[key] !== undefined) (taskSet as Record<string, unknown>)[key] = definition[key];
  }
  return { service, taskSet };
}

/**
 * The servicedef's own `tags` (AWS shape: `[{ key, value }]`) as a map. stepcd's tags are added on top
 * and win, so a manifest cannot impersonate another deployment's `stepcd:*` tags.
 */
export function definitionTags(definition: ServiceDefinition): Record<string, string> {
  const tags: Record<string, string> = {};
  const list = Array.isArray(definition.tags) ? definition.tags : [];
  for (const tag of list as { key?: unknown; value?: unknown }[]) {
    if (typeof tag?.key === 'string') tags[tag.key] = typeof tag.value === 'string' ? tag.value : '';
  }
  return tags;
}

/**
 * What UpdateService should change on the live service. desiredCount is left alone when the
 * definition has 0 or none, so stepcd never fights an autoscaler (PipeCD #5027).
 */
export function serviceUpdates(live: ServiceInfo, definition: ServiceDefinition): ServiceUpdate | undefined {
  const update: ServiceUpdate = {};
  const desired = definition.desiredCount;
  if (typeof desired === 'number' && desired > 0 && desired !== live.desiredCount) update.desiredCount = desired;
  const grace = definition.healthCheckGracePeriodSeconds;
  if (typeof grace === 'number') update.healthCheckGracePeriodSeconds = grace;
  return Object.keys(update).length > 0 ? update : undefined;
}
