import { ecsErrors } from '../errors.js';
import { lastSegment } from '../ids.js';
import type { Task, TaskDefinition } from '../state.js';
import { optNumber, optObjects, optString, reqString, tagsIn, type EcsContext, type Input } from './context.js';
import { findCluster, lookupTaskDefinition } from './lookup.js';
import { taskView } from './views.js';

const LAUNCH_TYPES = ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'];

/**
 * RunTask: standalone tasks outside any service. Refuses what ECS refuses (unknown cluster or task
 * definition, launch type with a capacity provider strategy, awsvpc without subnets, a network
 * configuration the task definition's network mode cannot take), and honours clientToken.
 */
export function runTask(ctx: EcsContext, input: Input): unknown {
  const cluster = findCluster(ctx, optString(input, 'cluster'));
  const definition = activeDefinition(ctx, reqString(input, 'taskDefinition'));
  const launchType = optString(input, 'launchType');
  if (launchType !== undefined && !LAUNCH_TYPES.includes(launchType)) {
    throw ecsErrors.invalid(`launchType must be one of ${LAUNCH_TYPES.join(', ')}.`);
  }
  if (launchType !== undefined && optObjects(input, 'capacityProviderStrategy') !== undefined) {
    throw ecsErrors.invalid('Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.');
  }
  const count = optNumber(input, 'count') ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > 10) throw ecsErrors.invalid('count must be between 1 and 10.');
  checkNetwork(definition, launchType, input.networkConfiguration);
  checkOverrides(definition, input.overrides);
  const startedBy = optString(input, 'startedBy');
  if (startedBy !== undefined && startedBy.length > 128) throw ecsErrors.invalid('startedBy must be at most 128 characters.');
  const clientToken = optString(input, 'clientToken');
  if (clientToken !== undefined) {
    const earlier = [...ctx.world.tasks.values()].filter((t) => t.clientToken === clientToken && t.cluster === cluster.name);
    if (earlier.length > 0) {
      if (earlier[0]?.taskDefinitionArn !== definition.arn) throw ecsErrors.invalid('The clientToken was already used with different parameters.');
      return { tasks: earlier.map((t) => taskView(ctx, t)), failures: [] };
    }
  }
  const tags = tagsIn(input);
  const group = optString(input, 'group') ?? `family:${definition.family}`;
  const tasks: Task[] = [];
  for (let i = 0; i < count; i++) {
    const spec = { cluster, definition, group, tags, ...(launchType !== undefined && { launchType }) };
    tasks.push(
      ctx.scheduler.runStandalone({ ...spec, ...(startedBy !== undefined && { startedBy }), ...(clientToken !== undefined && { clientToken }) }, ctx.now),
    );
  }
  return { tasks: tasks.map((t) => taskView(ctx, t)), failures: [] };
}

/** StopTask: by ARN or id; stopping a stopped task answers with it unchanged, as ECS does. */
export function stopTask(ctx: EcsContext, input: Input): unknown {
  const cluster = findCluster(ctx, optString(input, 'cluster'));
  const ref = reqString(input, 'task');
  const task = ctx.world.tasks.get(lastSegment(ref));
  if (!task || task.cluster !== cluster.name) throw ecsErrors.invalid('The referenced task was not found.');
  const reason = optString(input, 'reason');
  if (reason !== undefined && reason.length > 255) throw ecsErrors.invalid('reason must be at most 255 characters.');
  ctx.scheduler.stopByUser(task, ctx.now, reason ?? 'Task stopped by user');
  return { task: taskView(ctx, task) };
}

function activeDefinition(ctx: EcsContext, ref: string): TaskDefinition {
  const definition = lookupTaskDefinition(ctx, ref);
  if (!definition) throw ecsErrors.client('Unable to describe task definition.');
  if (definition.status !== 'ACTIVE') throw ecsErrors.client('TaskDefinition is inactive');
  return definition;
}

function checkNetwork(definition: TaskDefinition, launchType: string | undefined, raw: unknown): void {
  const mode = (definition.extra.networkMode as string | undefined) ?? (launchType === 'FARGATE' ? undefined : 'bridge');
  if (launchType === 'FARGATE' && mode !== 'awsvpc') throw ecsErrors.client('Fargate only supports network mode ‘awsvpc’.');
  const awsvpc = (raw as { awsvpcConfiguration?: Input } | undefined)?.awsvpcConfiguration;
  if (mode !== 'awsvpc') {
    if (raw !== undefined && raw !== null) throw ecsErrors.invalid('Network Configuration is not valid for the given networkMode of this task definition.');
    return;
  }
  if (!awsvpc) throw ecsErrors.invalid("Network Configuration must be provided when networkMode 'awsvpc' is specified.");
  const subnets = awsvpc.subnets;
  if (!Array.isArray(subnets) || subnets.length === 0) throw ecsErrors.invalid('subnets can not be empty.');
  if (subnets.length > 16) throw ecsErrors.invalid('subnets can have at most 16 items.');
  const assign = awsvpc.assignPublicIp;
  if (assign !== undefined && assign !== 'ENABLED' && assign !== 'DISABLED') throw ecsErrors.invalid('assignPublicIp must be ENABLED or DISABLED.');
}

function checkOverrides(definition: TaskDefinition, raw: unknown): void {
  const overrides = (raw as { containerOverrides?: { name?: string }[] } | undefined)?.containerOverrides ?? [];
  for (const o of overrides) {
    if (!definition.containerDefinitions.some((c) => c.name === o.name)) {
      throw ecsErrors.invalid(`Override for container named ${String(o.name)} is not a container in the TaskDefinition.`);
    }
  }
}
