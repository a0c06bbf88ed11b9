import { ecsErrors } from '../errors.js';
import { digitsOf } from '../ids.js';
import type { Action, LoadBalancerRef, Scale, TaskSet } from '../state.js';
import { includesTags, optBool, optObjects, optString, optStrings, pick, reqString, tagsIn, type EcsContext, type Input } from './context.js';
import { findActiveService, findCluster, findService, findTaskDefinition, findTaskSet, lookupTaskSet } from './lookup.js';
import { taskSetView } from './views.js';

/** ECS counts task sets (deployments) per service, draining ones included. */
const MAX_TASK_SETS = 5;
const KEPT_FIELDS = ['networkConfiguration', 'serviceRegistries', 'platformVersion', 'capacityProviderStrategy'] as const;

export function createTaskSet(ctx: EcsContext, input: Input): unknown {
  const cluster = findCluster(ctx, reqString(input, 'cluster'));
  const service = findActiveService(ctx, cluster, reqString(input, 'service'));
  if (service.controller !== 'EXTERNAL') {
    throw ecsErrors.invalid('Amazon ECS only supports task set management on services configured to use external deployment controllers.');
  }
  const clientToken = optString(input, 'clientToken');
  if (clientToken) {
    // Idempotency: the same token on the same service returns the set it created.
    const earlier = service.taskSetIds.map((id) => ctx.world.taskSets.get(id)).find((s) => s?.clientToken === clientToken);
    if (earlier) return { taskSet: taskSetView(ctx, earlier, true) };
  }
  const definition = findTaskDefinition(ctx, reqString(input, 'taskDefinition'));
  const loadBalancers = loadBalancersOf(input);
  for (const lb of loadBalancers) checkTargetGroup(ctx, lb.targetGroupArn);
  if (input.launchType !== undefined && input.capacityProviderStrategy !== undefined) {
    throw ecsErrors.invalid('Specifying both a launch type and capacity provider strategy is not supported.');
  }
  if (service.taskSetIds.length >= MAX_TASK_SETS) {
    throw ecsErrors.invalid(`${MAX_TASK_SETS} deployments exist on the service. Unable to create new TaskSet since this exceeds the maximum limit.`);
  }
  const id = `ecs-svc/${digitsOf(`${service.arn}:${++ctx.world.seq}`)}`;
  const set: TaskSet = {
    id,
    arn: ctx.arns.taskSet(cluster.name, service.name, id),
    cluster: cluster.name,
    service: service.name,
    serviceArn: service.arn,
    clusterArn: cluster.arn,
    externalId: optString(input, 'externalId'),
    clientToken,
    status: 'ACTIVE',
    taskDefinitionArn: definition.arn,
    // The real default is 0%, not 100%: a set created without a scale runs nothing.
    scale: scaleOf(input) ?? { unit: 'PERCENT', value: 0 },
    launchType: optString(input, 'launchType'),
    extra: pick(input, KEPT_FIELDS),
    loadBalancers,
    tags: tagsIn(input),
    createdAt: ctx.now,
    updatedAt: ctx.now,
    stabilityStatus: 'STABILIZING',
    stabilityStatusAt: ctx.now,
  };
  ctx.world.taskSets.set(id, set);
  service.taskSetIds.push(id);
  ctx.scheduler.scale(set, ctx.now);
  return { taskSet: taskSetView(ctx, set, true) };
}

function loadBalancersOf(input: Input): LoadBalancerRef[] {
  const refs = optObjects(input, 'loadBalancers') ?? [];
  if (refs.length > 1) throw ecsErrors.invalid('loadBalancers can have at most one element for a task set.');
  return refs.map((lb) => ({
    targetGroupArn: typeof lb.targetGroupArn === 'string' ? lb.targetGroupArn : undefined,
    loadBalancerName: typeof lb.loadBalancerName === 'string' ? lb.loadBalancerName : undefined,
    containerName: typeof lb.containerName === 'string' ? lb.containerName : undefined,
    containerPort: typeof lb.containerPort === 'number' ? lb.containerPort : undefined,
  }));
}

/**
 * ECS validates the target group at CreateTaskSet (as at CreateService): one that does not exist
 * is refused before anything is created, and so is one no load balancer forwards to.
 */
function checkTargetGroup(ctx: EcsContext, arn: string | undefined): void {
  if (arn === undefined) return;
  if (!ctx.world.targetGroups.has(arn)) {
    throw ecsErrors.invalid(
      'Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service role being passed has the proper permissions.',
    );
  }
  const usedBy = (actions: Action[]) => actions.some((a) => a.forward?.targetGroups.some((t) => t.targetGroupArn === arn));
  const attached = [...ctx.world.listeners.values()].some((l) => usedBy(l.defaultActions)) || [...ctx.world.rules.values()].some((r) => usedBy(r.actions));
  if (!attached) throw ecsErrors.invalid(`The target group with targetGroupArn ${arn} does not have an associated load balancer.`);
}

function scaleOf(input: Input): Scale | undefined {
  const scale = input.scale as { unit?: unknown; value?: unknown } | undefined;
  if (scale === undefined || scale === null) return undefined;
  const value = typeof scale.value === 'number' ? scale.value : 0;
  if ((scale.unit ?? 'PERCENT') !== 'PERCENT') throw ecsErrors.invalid('Scale unit must be PERCENT.');
  if (value < 0 || value > 100) throw ecsErrors.invalid('Scale value must be between 0 and 100.');
  return { unit: 'PERCENT', value };
}

export function describeTaskSets(ctx: EcsContext, input: Input): unknown {
  const cluster = findCluster(ctx, reqString(input, 'cluster'));
  const service = findService(ctx, cluster, reqString(input, 'service'));
  const withTags = includesTags(input);
  const refs = optStrings(input, 'taskSets');
  if (!refs) {
    const all = service.taskSetIds.flatMap((id) => ctx.world.taskSets.get(id) ?? []);
    return { taskSets: all.map((s) => taskSetView(ctx, s, withTags)), failures: [] };
  }
  const taskSets: unknown[] = [];
  const failures: unknown[] = [];
  for (const ref of refs) {
    const set = lookupTaskSet(ctx, service, ref);
    if (set) taskSets.push(taskSetView(ctx, set, withTags));
    else failures.push({ arn: ref.startsWith('arn:') ? ref : ctx.arns.taskSet(cluster.name, service.name, ref), reason: 'MISSING' });
  }
  return { taskSets, failures };
}

export function updateTaskSet(ctx: EcsContext, input: Input): unknown {
  const cluster = findCluster(ctx, reqString(input, 'cluster'));
  const service = findActiveService(ctx, cluster, reqString(input, 'service'));
  const set = findTaskSet(ctx, service, reqString(input, 'taskSet'));
  const scale = scaleOf(input);
  if (!scale) throw ecsErrors.invalid('scale is required.');
  if (set.status === 'DRAINING') throw ecsErrors.invalid('The specified task set is draining and cannot be updated.');
  set.scale = scale;
  set.updatedAt = ctx.now;
  ctx.scheduler.scale(set, ctx.now);
  return { taskSet: taskSetView(ctx, set, false) };
}

export function updateServicePrimaryTaskSet(ctx: EcsContext, input: Input): unknown {
  const cluster = findCluster(ctx, reqString(input, 'cluster'));
  const service = findActiveService(ctx, cluster, reqString(input, 'service'));
  const set = findTaskSet(ctx, service, reqString(input, 'primaryTaskSet'));
  if (set.status === 'DRAINING') throw ecsErrors.invalid('A draining task set cannot become the primary task set.');
  for (const id of service.taskSetIds) {
    const other = ctx.world.taskSets.get(id);
    if (other && other !== set && other.status === 'PRIMARY') {
      other.status = 'ACTIVE';
      other.updatedAt = ctx.now;
    }
  }
  set.status = 'PRIMARY';
  set.updatedAt = ctx.now;
  return { taskSet: taskSetView(ctx, set, false) };
}

export function deleteTaskSet(ctx: EcsContext, input: Input): unknown {
  const cluster = findCluster(ctx, reqString(input, 'cluster'));
  const service = findService(ctx, cluster, reqString(input, 'service'));
  const set = findTaskSet(ctx, service, reqString(input, 'taskSet'));
  const force = optBool(input, 'force') ?? false;
  if (set.status === 'DRAINING') return { taskSet: taskSetView(ctx, set, false) };
  if (!force && set.status === 'PRIMARY') {
    throw ecsErrors.invalid('The primary task set cannot be deleted; make another task set primary first, or force.');
  }
  if (!force && set.scale.value !== 0) {
    throw ecsErrors.invalid('The task set must be scaled down to zero before it can be deleted, or deleted with force.');
  }
  set.status = 'DRAINING';
  set.deletedAt = ctx.now;
  set.updatedAt = ctx.now;
  ctx.scheduler.scale(set, ctx.now);
  return { taskSet: taskSetView(ctx, set, false) };
}
