import { StableTimeoutError, TaskFailedError } from '../errors.js';
import type { StageExecutor } from './executor.js';
import { runTaskRequest, serviceTaskSets, shortTaskId, taskCluster } from './ecs/standalone-task.js';
import { ensureTaskDefinition } from './ecs/task-definition.js';
import { essentialContainers, judgeTask } from './ecs/task-exit.js';

/**
 * ECS_RUN_TASK: runs one task of the deployment's (new) task definition and waits for it to stop;
 * it passes only when every essential container exited 0. In a pipeline it runs in the service's
 * cluster and network, before any traffic moves (a migration); for a standalone app it is the one
 * stage, in spec.input's cluster. A retried start gets the same task back (clientToken).
 */
export const runTask: StageExecutor<'ECS_RUN_TASK'> = {
  async start(input, ports) {
    const { plan, stage } = input;
    const key = String(stage.index);
    const known = input.state.runTaskArns?.[key];
    if (known) return { state: input.state, needsCheck: true, detail: `task ${shortTaskId(known)} running` };
    const registered = await ensureTaskDefinition(plan, input.state, ports, await serviceTaskSets(plan, ports));
    const task = await ports.ecs.runTask(runTaskRequest(plan, stage, registered.taskDefinitionArn));
    ports.log('started task', { taskArn: task.taskArn, taskDefinitionArn: registered.taskDefinitionArn });
    const state = { ...registered.state, touched: true, runTaskArns: { ...registered.state.runTaskArns, [key]: task.taskArn } };
    return { state, needsCheck: true, detail: `task ${shortTaskId(task.taskArn)} started` };
  },

  async check(input, ports) {
    const { plan, state, stage } = input;
    const taskArn = state.runTaskArns?.[String(stage.index)];
    if (!taskArn) return { status: 'failed', state, error: new TaskFailedError('ECS_RUN_TASK has no task to watch (its start did not record one)') };
    const cluster = taskCluster(plan);
    const task = await ports.ecs.describeTask(cluster, taskArn);
    if (!task) return { status: 'failed', state, error: new TaskFailedError(`task ${shortTaskId(taskArn)} is no longer known to ECS`) };
    const verdict = judgeTask(task, essentialContainers(plan.taskDefinition));
    if (verdict.status === 'succeeded') return { status: 'done', state, detail: verdict.detail };
    if (verdict.status === 'failed') return { status: 'failed', state, error: new TaskFailedError(verdict.reason) };
    const { timeoutSeconds } = stage.with;
    if ((ports.now() - Date.parse(input.startedAt)) / 1000 > timeoutSeconds) {
      await ports.ecs.stopTask(cluster, taskArn, `stepcd: ECS_RUN_TASK timed out after ${timeoutSeconds}s`);
      const reason = `task ${shortTaskId(taskArn)} still ${task.lastStatus} after ${timeoutSeconds}s (with.timeout); stopped it`;
      return { status: 'failed', state, error: new StableTimeoutError(reason) };
    }
    return { status: 'pending', state, detail: `task ${shortTaskId(taskArn)} ${task.lastStatus}` };
  },
};
