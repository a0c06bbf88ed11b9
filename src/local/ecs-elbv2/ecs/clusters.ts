import { ecsErrors } from '../errors.js';
import { lastSegment } from '../ids.js';
import { includesTags, optStrings, optString, tagsIn, type EcsContext, type Input } from './context.js';
import { clusterView } from './views.js';

export function createCluster(ctx: EcsContext, input: Input): unknown {
  const name = optString(input, 'clusterName') ?? 'default';
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(name)) throw ecsErrors.invalid('Invalid cluster name.');
  // Creating an existing cluster returns it, as ECS does.
  let cluster = ctx.world.clusters.get(name);
  if (!cluster) {
    cluster = { name, arn: ctx.arns.cluster(name), tags: tagsIn(input), createdAt: ctx.now };
    ctx.world.clusters.set(name, cluster);
  }
  return { cluster: clusterView(ctx, cluster, true) };
}

export function describeClusters(ctx: EcsContext, input: Input): unknown {
  const refs = optStrings(input, 'clusters') ?? ['default'];
  const clusters: unknown[] = [];
  const failures: unknown[] = [];
  for (const ref of refs) {
    const cluster = ctx.world.clusters.get(lastSegment(ref));
    if (cluster) clusters.push(clusterView(ctx, cluster, includesTags(input)));
    else failures.push({ arn: ref.startsWith('arn:') ? ref : ctx.arns.cluster(ref), reason: 'MISSING' });
  }
  return { clusters, failures };
}
