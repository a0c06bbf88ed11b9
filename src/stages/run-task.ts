import { createHash } from 'node:crypto';
import type { DeploymentPlan, PlannedStage } from '../domain/plan.js';
import { ErrorName } from '../errors.js';
import type { StageExecutor } from './executor.js';
import { stepcdTags } from './identity.js';
import type { RunTaskRequest, StagePorts } from './ports.js';
import { splitServiceDefinition } from './service-definition.js';
import { ensureTaskDefinition } from './task-definition.js';
import { essentialContainers, judgeTask } from './task-exit.js';
import type { StageInput } from './types.js';

type RunTaskStage = Extract<PlannedStage, { name: 'ECS_RUN_TASK' }>;

/**
 * ECS_RUN_TASK: runs one task of the deployment's (new) task definition and waits for it to stop;
 * it passes only when every essential container exited 0. In a pipeline it runs in the service's
 * cluster and network, before any traffic moves (a migration); for a standalone app it is the one
 * stage, in spec.input's cluster. A retried start gets the same task back (clientToken).
 */
export const runTask: StageExecutor = {
  async start(input, ports) {
    const { plan } = input;
    const stage = asRunTask(input);
    const key = String(stage.index);
    const known = input.state.runTaskArns?.[key];
    if (known) return { state: input.state, needsCheck: true, detail: `task ${shortId(known)} running` };
    const sets = await liveTaskSets(plan, ports);
    const registered = await ensureTaskDefinition(plan, input.state, ports, sets);
    const task = await ports.ecs.runTask(runTaskRequest(plan, stage, registered.taskDefinitionArn));
    ports.log('started task', { taskArn: task.taskArn, taskDefinitionArn: registered.taskDefinitionArn });
    const state = { ...registered.state, touched: true, runTaskArns: { ...registered.state.runTaskArns, [key]: task.taskArn } };
    return { state, needsCheck: true, detail: `task ${shortId(task.taskArn)} started` };
  },

  async check(input, ports) {
    const { plan, state } = input;
    const stage = asRunTask(input);
    const taskArn = state.runTaskArns?.[String(stage.index)];
    if (!taskArn) return { status: 'failed', state, reason: 'ECS_RUN_TASK has no task to watch (its start did not record one)', error: ErrorName.TaskFailed };
    const cluster = clusterOf(plan);
    const task = await ports.ecs.describeTask(cluster, taskArn);
    if (!task) return { status: 'failed', state, reason: `task ${shortId(taskArn)} is no longer known to ECS`, error: ErrorName.TaskFailed };
    const verdict = judgeTask(task, essentialContainers(plan.taskDefinition));
    if (verdict.status === 'succeeded') return { status: 'done', state, detail: verdict.detail };
    if (verdict.status === 'failed') return { status: 'failed', state, reason: verdict.reason, error: ErrorName.TaskFailed };
    const elapsed = (ports.now() - Date.parse(input.startedAt)) / 1000;
    if (elapsed > stage.with.timeoutSeconds) {
      await ports.ecs.stopTask(cluster, taskArn, `stepcd: ECS_RUN_TASK timed out after ${stage.with.timeoutSeconds}s`);
      return {
        status: 'failed',
        state,
        reason: `task ${shortId(taskArn)} still ${task.lastStatus} after ${stage.with.timeoutSeconds}s (with.timeout); stopped it`,
        error: ErrorName.StableTimeout,
      };
    }
    return { status: 'pending', state, detail: `task ${shortId(taskArn)} ${task.lastStatus}` };
  },
};

/** Stops the tasks this deployment's ECS_RUN_TASK stages started that may still run (rollback, cancel). */
export async function stopRunTasks(plan: DeploymentPlan, state: StageInput['state'], ports: StagePorts): Promise<number> {
  let stopped = 0;
  for (const taskArn of Object.values(state.runTaskArns ?? {})) {
    const task = await ports.ecs.describeTask(clusterOf(plan), taskArn);
    if (!task || task.lastStatus === 'STOPPED' || task.desiredStatus === 'STOPPED') continue;
    await ports.ecs.stopTask(clusterOf(plan), taskArn, `stepcd: deployment ${plan.deploymentId} is rolling back`);
    ports.log('rollback stopped task', { taskArn });
    stopped += 1;
  }
  return stopped;
}

function runTaskRequest(plan: DeploymentPlan, stage: RunTaskStage, taskDefinitionArn: string): RunTaskRequest {
  const token = createHash('sha256').update(`${plan.deploymentId}:${stage.index}:run-task`).digest('hex');
  const placement = plan.standalone
    ? {
        launchType: plan.standalone.launchType,
        ...(plan.standalone.awsvpcConfiguration && { networkConfiguration: { awsvpcConfiguration: plan.standalone.awsvpcConfiguration } }),
      }
    : splitServiceDefinition(plan.serviceDefinition).taskSet;
  const { containerName, command } = stage.with;
  return {
    cluster: clusterOf(plan),
    taskDefinitionArn,
    ...(placement.launchType && { launchType: placement.launchType }),
    ...('platformVersion' in placement && placement.platformVersion && { platformVersion: placement.platformVersion }),
    ...('capacityProviderStrategy' in placement && placement.capacityProviderStrategy && { capacityProviderStrategy: placement.capacityProviderStrategy }),
    ...(placement.networkConfiguration && { networkConfiguration: placement.networkConfiguration }),
    clientToken: token.slice(0, 32),
    startedBy: `stepcd-${token.slice(0, 24)}`,
    ...(containerName && command && { overrides: { containerOverrides: [{ name: containerName, command }] } }),
    tags: stepcdTags(plan),
  };
}

function clusterOf(plan: DeploymentPlan): string {
  return plan.standalone?.cluster ?? plan.serviceDefinition.cluster;
}

/** The service's task sets, for ensureTaskDefinition's reuse check; none for a standalone app or a service not created yet. */
async function liveTaskSets(plan: DeploymentPlan, ports: StagePorts) {
  if (plan.standalone) return [];
  const { cluster, serviceName } = plan.serviceDefinition;
  return (await ports.ecs.findService(cluster, serviceName)) ? ports.ecs.listTaskSets(cluster, serviceName) : [];
}

function asRunTask(input: StageInput): RunTaskStage {
  return input.stage as RunTaskStage;
}

function shortId(taskArn: string): string {
  return taskArn.slice(taskArn.lastIndexOf('/') + 1);
}
