import { ApiError } from '../errors.js';
import type { Tag } from '../state.js';
import { mergeTags, optStrings, reqString, tagsIn, tagsOut, type EcsContext, type Input } from './context.js';

/** The taggable resource behind an ARN: clusters, services, task sets, task definitions. */
function taggable(ctx: EcsContext, arn: string): { tags: Tag[] } {
  const { world } = ctx;
  const found =
    [...world.clusters.values()].find((c) => c.arn === arn) ??
    world.services.get(arn) ??
    [...world.taskSets.values()].find((s) => s.arn === arn) ??
    world.taskDefinitions.get(arn);
  if (!found) throw new ApiError('InvalidParameterException', 'The specified resource could not be found.');
  return found;
}

export function tagResource(ctx: EcsContext, input: Input): unknown {
  const resource = taggable(ctx, reqString(input, 'resourceArn'));
  resource.tags = mergeTags(resource.tags, tagsIn(input));
  return {};
}

export function untagResource(ctx: EcsContext, input: Input): unknown {
  const resource = taggable(ctx, reqString(input, 'resourceArn'));
  const keys = new Set(optStrings(input, 'tagKeys') ?? []);
  resource.tags = resource.tags.filter((t) => !keys.has(t.key));
  return {};
}

export function listTagsForResource(ctx: EcsContext, input: Input): unknown {
  return { tags: tagsOut(taggable(ctx, reqString(input, 'resourceArn')).tags) };
}
