import type { ServiceDefinition } from '../../domain/plan.js';
import type { PlacementConstraint, PlacementStrategy, ServiceInfo, ServiceUpdate, TaskSetPlacement } from '../ports.js';

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
 * What UpdateService should change on the live service: the fields it accepts on an EXTERNAL
 * service that the definition sets and that differ from live, so an unchanged servicedef makes no
 * call at all. desiredCount is left alone when the definition has 0 or none, so stepcd never fights
 * an autoscaler (PipeCD #5027). A field the definition omits is left as it is live.
 */
export function serviceUpdates(live: ServiceInfo, definition: ServiceDefinition): ServiceUpdate | undefined {
  const update: ServiceUpdate = {};
  const desired = definition.desiredCount;
  if (typeof desired === 'number' && desired > 0 && desired !== live.desiredCount) update.desiredCount = desired;
  const grace = definition.healthCheckGracePeriodSeconds;
  if (typeof grace === 'number' && grace !== live.healthCheckGracePeriodSeconds) update.healthCheckGracePeriodSeconds = grace;
  // ECS reports no constraints/strategy as [], untagged as false and NONE: an absent live value reads as those.
  const constraints = definition.placementConstraints;
  if (Array.isArray(constraints) && !sameList(constraints, live.placementConstraints ?? [])) {
    update.placementConstraints = constraints as PlacementConstraint[];
  }
  const strategy = definition.placementStrategy;
  if (Array.isArray(strategy) && !sameList(strategy, live.placementStrategy ?? [])) {
    update.placementStrategy = strategy as PlacementStrategy[];
  }
  const managedTags = definition.enableECSManagedTags;
  if (typeof managedTags === 'boolean' && managedTags !== (live.enableECSManagedTags ?? false)) update.enableECSManagedTags = managedTags;
  const propagate = definition.propagateTags;
  if (typeof propagate === 'string' && propagate !== (live.propagateTags ?? 'NONE')) update.propagateTags = propagate;
  return Object.keys(update).length > 0 ? update : undefined;
}

/**
 * Placement lists compare in order (a strategy's order is its priority) and by value, ignoring key
 * order and keys left undefined, since ECS echoes `{type, field}` back without the absent ones.
 */
function sameList(desired: readonly unknown[], live: readonly object[]): boolean {
  return desired.length === live.length && desired.every((item, i) => canonical(item) === canonical(live[i]));
}

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(entries);
}
