import type { TaskInfo } from '../ports.js';

export type TaskVerdict = { status: 'running' } | { status: 'succeeded'; detail: string } | { status: 'failed'; reason: string };

/**
 * A standalone task succeeds only when it stopped and every essential container exited 0. A
 * container with no exit code never ran (an image that would not pull, a stop before start), which
 * is a failure too. The reason names the container, its exit code and ECS's stopped reason.
 */
export function judgeTask(task: TaskInfo, essential: ReadonlySet<string>): TaskVerdict {
  if (task.lastStatus !== 'STOPPED') return { status: 'running' };
  const id = task.taskArn.slice(task.taskArn.lastIndexOf('/') + 1);
  const bad = task.containers.filter((c) => essential.has(c.name) && c.exitCode !== 0);
  const stopped = task.stoppedReason ? `; stopped reason: ${task.stoppedReason}` : '';
  if (bad.length === 0 && task.containers.some((c) => essential.has(c.name))) {
    return { status: 'succeeded', detail: `task ${id} exited 0 (${[...essential].join(', ')})` };
  }
  if (bad.length === 0) return { status: 'failed', reason: `task ${id} stopped with none of its essential containers reported${stopped}` };
  const parts = bad.map((c) => {
    const code = c.exitCode === undefined ? 'no exit code (it never ran)' : `exit code ${c.exitCode}`;
    return `essential container ${c.name} exited with ${code}${c.reason ? ` (${c.reason})` : ''}`;
  });
  return { status: 'failed', reason: `task ${id} failed: ${parts.join('; ')}${stopped}` };
}

/** Essential containers of a task definition; ECS's default for `essential` is true. */
export function essentialContainers(taskDefinition: Record<string, unknown>): Set<string> {
  const list = Array.isArray(taskDefinition.containerDefinitions) ? (taskDefinition.containerDefinitions as { name?: unknown; essential?: unknown }[]) : [];
  return new Set(list.filter((c) => c.essential !== false && typeof c.name === 'string').map((c) => c.name as string));
}
