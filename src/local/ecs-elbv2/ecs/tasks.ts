import { ecsErrors } from '../errors.js';
import { lastSegment } from '../ids.js';
import { optString, optStrings, type EcsContext, type Input } from './context.js';
import { findCluster } from './lookup.js';
import { taskView } from './views.js';

export function listTasks(ctx: EcsContext, input: Input): unknown {
  const cluster = findCluster(ctx, optString(input, 'cluster'));
  const serviceName = optString(input, 'serviceName');
  const startedBy = optString(input, 'startedBy');
  const family = optString(input, 'family');
  // ECS lists tasks that are meant to run unless asked for the stopped ones.
  const wantStopped = optString(input, 'desiredStatus') === 'STOPPED';
  const taskArns = [...ctx.world.tasks.values()]
    .filter(
      (t) =>
        t.cluster === cluster.name &&
        (serviceName === undefined || t.service === lastSegment(serviceName)) &&
        (startedBy === undefined || (t.startedBy ?? t.taskSetId) === startedBy) &&
        (family === undefined || ctx.world.taskDefinitions.get(t.taskDefinitionArn)?.family === family) &&
        (t.stopRequestedAt !== undefined) === wantStopped,
    )
    .map((t) => t.arn);
  return { taskArns };
}

export function describeTasks(ctx: EcsContext, input: Input): unknown {
  const cluster = findCluster(ctx, optString(input, 'cluster'));
  const refs = optStrings(input, 'tasks') ?? [];
  if (refs.length === 0) throw ecsErrors.invalid('Tasks cannot be empty.');
  if (refs.length > 100) throw ecsErrors.invalid('Tasks cannot contain more than 100 elements.');
  const tasks: unknown[] = [];
  const failures: unknown[] = [];
  for (const ref of refs) {
    const task = ctx.world.tasks.get(lastSegment(ref));
    if (task && task.cluster === cluster.name) tasks.push(taskView(ctx, task));
    else failures.push({ arn: ref.startsWith('arn:') ? ref : ctx.arns.task(cluster.name, ref), reason: 'MISSING' });
  }
  return { tasks, failures };
}
