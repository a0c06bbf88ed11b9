import { ecsErrors } from '../errors.js';
import type { DeploymentControllerType, Service } from '../state.js';
import { includesTags, optBool, optNumber, optObjects, optString, optStrings, pick, reqString, tagsIn, type EcsContext, type Input } from './context.js';
import { findActiveService, findCluster, findTaskDefinition, lookupService } from './lookup.js';
import { serviceView } from './views.js';

const KEPT_FIELDS = [
  'deploymentConfiguration',
  'schedulingStrategy',
  'placementConstraints',
  'placementStrategy',
  'healthCheckGracePeriodSeconds',
  'enableECSManagedTags',
  'propagateTags',
  'launchType',
  'loadBalancers',
  'networkConfiguration',
  'platformVersion',
  'capacityProviderStrategy',
] as const;

/** Fields UpdateService may change on an EXTERNAL service; everything else belongs to task sets. */
const EXTERNAL_UPDATABLE = [
  'desiredCount',
  'placementConstraints',
  'placementStrategy',
  'healthCheckGracePeriodSeconds',
  'enableECSManagedTags',
  'propagateTags',
  'deploymentConfiguration',
] as const;

export function createService(ctx: EcsContext, input: Input): unknown {
  const cluster = findCluster(ctx, optString(input, 'cluster'));
  const name = reqString(input, 'serviceName');
  const controller = controllerOf(input);
  if (controller === 'EXTERNAL') rejectExternalFields(input);
  const existing = lookupService(ctx, cluster, name);
  if (existing && existing.status !== 'INACTIVE') throw ecsErrors.invalid('Creation of service was not idempotent.');
  const taskDefinitionRef = optString(input, 'taskDefinition');
  const service: Service = {
    name,
    arn: ctx.arns.service(cluster.name, name),
    cluster: cluster.name,
    clusterArn: cluster.arn,
    controller,
    desiredCount: optNumber(input, 'desiredCount') ?? 0,
    status: 'ACTIVE',
    createdAt: ctx.now,
    tags: tagsIn(input),
    taskSetIds: [],
    extra: pick(input, KEPT_FIELDS),
    taskDefinitionArn: taskDefinitionRef ? findTaskDefinition(ctx, taskDefinitionRef).arn : undefined,
  };
  if (controller === 'ECS' && !service.taskDefinitionArn) throw ecsErrors.invalid('TaskDefinition must be specified.');
  ctx.world.services.set(service.arn, service);
  return { service: serviceView(ctx, service, true) };
}

function controllerOf(input: Input): DeploymentControllerType {
  const controller = input.deploymentController as { type?: unknown } | undefined;
  const type = controller?.type ?? 'ECS';
  if (type !== 'ECS' && type !== 'EXTERNAL' && type !== 'CODE_DEPLOY') {
    throw ecsErrors.invalid(`Invalid deployment controller type: ${String(type)}`);
  }
  return type;
}

/** The real API's messages for fields an EXTERNAL service must leave to its task sets. */
function rejectExternalFields(input: Input): void {
  if ((optObjects(input, 'loadBalancers') ?? []).length > 0) throw ecsErrors.invalid('LoadBalancers must be empty or null.');
  if (optString(input, 'taskDefinition')) throw ecsErrors.invalid('TaskDefinition must be blank.');
  if (input.networkConfiguration !== undefined && input.networkConfiguration !== null) {
    throw ecsErrors.invalid('NetworkConfiguration must be null.');
  }
  if (optString(input, 'launchType')) throw ecsErrors.invalid('LaunchType must be blank.');
  if (input.schedulingStrategy !== undefined && input.schedulingStrategy !== 'REPLICA') {
    throw ecsErrors.invalid('Only REPLICA scheduling strategy is supported with the EXTERNAL deployment controller.');
  }
}

export function updateService(ctx: EcsContext, input: Input): unknown {
  const cluster = findCluster(ctx, optString(input, 'cluster'));
  const service = findActiveService(ctx, cluster, reqString(input, 'service'));
  if (service.controller === 'EXTERNAL') {
    const refused = Object.keys(input).filter(
      (k) => !['cluster', 'service', 'forceNewDeployment', ...EXTERNAL_UPDATABLE].includes(k) && input[k] !== undefined,
    );
    if (refused.length > 0) {
      throw ecsErrors.invalid(`Unable to update ${refused.join(', ')} on a service with the EXTERNAL deployment controller; update its task sets instead.`);
    }
  } else if (optString(input, 'taskDefinition')) {
    service.taskDefinitionArn = findTaskDefinition(ctx, optString(input, 'taskDefinition') as string).arn;
  }
  const desiredCount = optNumber(input, 'desiredCount');
  for (const field of EXTERNAL_UPDATABLE) {
    if (field !== 'desiredCount' && input[field] !== undefined) service.extra[field] = input[field];
  }
  if (desiredCount !== undefined && desiredCount !== service.desiredCount) {
    if (desiredCount < 0) throw ecsErrors.invalid('desiredCount must be non-negative.');
    service.desiredCount = desiredCount;
    // Every set's computed count follows the service's desired count.
    for (const id of service.taskSetIds) {
      const set = ctx.world.taskSets.get(id);
      if (set) ctx.scheduler.scale(set, ctx.now);
    }
  }
  return { service: serviceView(ctx, service, false) };
}

export function describeServices(ctx: EcsContext, input: Input): unknown {
  const cluster = findCluster(ctx, optString(input, 'cluster'));
  const refs = optStrings(input, 'services') ?? [];
  if (refs.length === 0) throw ecsErrors.invalid('Services cannot be empty.');
  if (refs.length > 10) throw ecsErrors.invalid('Services cannot contain more than 10 elements.');
  const services: unknown[] = [];
  const failures: unknown[] = [];
  for (const ref of refs) {
    const service = lookupService(ctx, cluster, ref);
    // An unknown service is a failure entry, not an exception.
    if (service) services.push(serviceView(ctx, service, includesTags(input)));
    else failures.push({ arn: ref.startsWith('arn:') ? ref : ctx.arns.service(cluster.name, ref), reason: 'MISSING' });
  }
  return { services, failures };
}

export function listServices(ctx: EcsContext, input: Input): unknown {
  const cluster = findCluster(ctx, optString(input, 'cluster'));
  const serviceArns = [...ctx.world.services.values()].filter((s) => s.cluster === cluster.name && s.status !== 'INACTIVE').map((s) => s.arn);
  return { serviceArns };
}

export function deleteService(ctx: EcsContext, input: Input): unknown {
  const cluster = findCluster(ctx, optString(input, 'cluster'));
  const service = findActiveService(ctx, cluster, reqString(input, 'service'));
  const force = optBool(input, 'force') ?? false;
  if (service.desiredCount > 0 && !force) {
    throw ecsErrors.invalid('The service cannot be stopped while it is scaled above 0.');
  }
  service.status = 'DRAINING';
  service.deletedAt = ctx.now;
  service.desiredCount = 0;
  for (const id of service.taskSetIds) {
    const set = ctx.world.taskSets.get(id);
    if (!set) continue;
    set.status = 'DRAINING';
    set.deletedAt = ctx.now;
    set.updatedAt = ctx.now;
    ctx.scheduler.scale(set, ctx.now);
  }
  return { service: serviceView(ctx, service, false) };
}
