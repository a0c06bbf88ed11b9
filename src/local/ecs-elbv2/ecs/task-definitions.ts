import { ecsErrors } from '../errors.js';
import type { ContainerDefinition, TaskDefinition } from '../state.js';
import { includesTags, optObjects, reqString, tagsIn, tagsOut, type EcsContext, type Input } from './context.js';
import { findTaskDefinition } from './lookup.js';
import { taskDefinitionView } from './views.js';

export function registerTaskDefinition(ctx: EcsContext, input: Input): unknown {
  const family = reqString(input, 'family');
  if (!/^[A-Za-z0-9_-]{1,255}$/.test(family)) {
    throw ecsErrors.client('Family contains invalid characters; up to 255 letters, numbers, hyphens and underscores are allowed.');
  }
  const containers = optObjects(input, 'containerDefinitions') ?? [];
  if (containers.length === 0) throw ecsErrors.client('Container list cannot be empty.');
  for (const c of containers) {
    if (typeof c.name !== 'string' || typeof c.image !== 'string') {
      throw ecsErrors.client('Container definitions need a name and an image.');
    }
  }
  const revision = 1 + Math.max(0, ...[...ctx.world.taskDefinitions.values()].filter((d) => d.family === family).map((d) => d.revision));
  const { family: _f, containerDefinitions: _c, tags: _t, ...extra } = input;
  const definition: TaskDefinition = {
    arn: ctx.arns.taskDefinition(family, revision),
    family,
    revision,
    status: 'ACTIVE',
    containerDefinitions: containers as ContainerDefinition[],
    extra,
    tags: tagsIn(input),
    registeredAt: ctx.now,
  };
  ctx.world.taskDefinitions.set(definition.arn, definition);
  return { taskDefinition: taskDefinitionView(definition), tags: tagsOut(definition.tags) };
}

export function describeTaskDefinition(ctx: EcsContext, input: Input): unknown {
  const definition = findTaskDefinition(ctx, reqString(input, 'taskDefinition'));
  return { taskDefinition: taskDefinitionView(definition), tags: includesTags(input) ? tagsOut(definition.tags) : undefined };
}

export function deregisterTaskDefinition(ctx: EcsContext, input: Input): unknown {
  const ref = reqString(input, 'taskDefinition');
  if (!ref.includes(':')) throw ecsErrors.client('The specified task definition must include a revision.');
  const definition = findTaskDefinition(ctx, ref);
  if (definition.status === 'ACTIVE') {
    definition.status = 'INACTIVE';
    definition.deregisteredAt = ctx.now;
  }
  return { taskDefinition: taskDefinitionView(definition) };
}

export function listTaskDefinitions(ctx: EcsContext, input: Input): unknown {
  const family = typeof input.familyPrefix === 'string' ? input.familyPrefix : undefined;
  const status = input.status === 'INACTIVE' ? 'INACTIVE' : 'ACTIVE';
  const taskDefinitionArns = [...ctx.world.taskDefinitions.values()]
    .filter((d) => d.status === status && (family === undefined || d.family.startsWith(family)))
    .map((d) => d.arn);
  return { taskDefinitionArns };
}
