import { ecsErrors } from '../errors.js';
import { lastSegment } from '../ids.js';
import type { Cluster, Service, TaskDefinition, TaskSet } from '../state.js';
import type { EcsContext } from './context.js';

/** A cluster by name or ARN; ECS defaults to the cluster named "default". */
export function findCluster(ctx: EcsContext, ref: string | undefined): Cluster {
  const cluster = ctx.world.clusters.get(lastSegment(ref ?? 'default'));
  if (!cluster) throw ecsErrors.clusterNotFound();
  return cluster;
}

/** A service by name or ARN within a cluster, in any status (INACTIVE ones are still describable). */
export function lookupService(ctx: EcsContext, cluster: Cluster, ref: string): Service | undefined {
  const name = ref.startsWith('arn:') ? lastSegment(ref) : ref;
  return ctx.world.services.get(ctx.arns.service(cluster.name, name));
}

export function findService(ctx: EcsContext, cluster: Cluster, ref: string): Service {
  const service = lookupService(ctx, cluster, ref);
  if (!service) throw ecsErrors.serviceNotFound();
  return service;
}

/** Services that can be changed: ACTIVE only. */
export function findActiveService(ctx: EcsContext, cluster: Cluster, ref: string): Service {
  const service = findService(ctx, cluster, ref);
  if (service.status !== 'ACTIVE') throw ecsErrors.serviceNotActive();
  return service;
}

/** A task set of the service by id (`ecs-svc/…`) or ARN. */
export function lookupTaskSet(ctx: EcsContext, service: Service, ref: string): TaskSet | undefined {
  for (const id of service.taskSetIds) {
    const set = ctx.world.taskSets.get(id);
    if (set && (set.id === ref || set.arn === ref)) return set;
  }
  return undefined;
}

export function findTaskSet(ctx: EcsContext, service: Service, ref: string): TaskSet {
  const set = lookupTaskSet(ctx, service, ref);
  if (!set) throw ecsErrors.taskSetNotFound();
  return set;
}

/** A task definition by family (latest ACTIVE revision), family:revision, or ARN. */
export function lookupTaskDefinition(ctx: EcsContext, ref: string): TaskDefinition | undefined {
  const spec = ref.startsWith('arn:') ? lastSegment(ref) : ref;
  const [family, revision] = spec.split(':');
  const candidates = [...ctx.world.taskDefinitions.values()].filter((d) => d.family === family);
  if (revision !== undefined) return candidates.find((d) => d.revision === Number(revision));
  return candidates.filter((d) => d.status === 'ACTIVE').sort((a, b) => b.revision - a.revision)[0];
}

export function findTaskDefinition(ctx: EcsContext, ref: string): TaskDefinition {
  const definition = lookupTaskDefinition(ctx, ref);
  if (!definition) throw ecsErrors.client('Unable to describe task definition.');
  return definition;
}
