import { createHash } from 'node:crypto';
import type { DeploymentState } from '../../domain/deployment.js';
import type { DeploymentPlan, PlannedStage } from '../../domain/plan.js';
import type { RunTaskRequest, StagePorts, TaskSetInfo } from '../ports.js';
import { stepcdTags } from './identity.js';
import { splitServiceDefinition } from './service-definition.js';

type RunTaskStage = Extract<PlannedStage, { name: 'ECS_RUN_TASK' }>;

/**
 * The RunTask call of one ECS_RUN_TASK stage: in the service's placement and network for a pipeline,
 * in spec.input's for a standalone app. The clientToken is derived from the deployment and stage, so
 * a retried start gets the same task back instead of a second one.
 */
export function runTaskRequest(plan: DeploymentPlan, stage: RunTaskStage, taskDefinitionArn: string): RunTaskRequest {
  const token = createHash('sha256').update(`${plan.deploymentId}:${stage.index}:run-task`).digest('hex');
  const placement = plan.standalone
    ? {
        launchType: plan.standalone.launchType,
        ...(plan.standalone.awsvpcConfiguration && { networkConfiguration: { awsvpcConfiguration: plan.standalone.awsvpcConfiguration } }),
      }
    : splitServiceDefinition(plan.serviceDefinition).taskSet;
  const { containerName, command } = stage.with;
  return {
    cluster: taskCluster(plan),
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

/** Where the deployment's standalone tasks run: spec.input's cluster, else the service's. */
export function taskCluster(plan: DeploymentPlan): string {
  return plan.standalone?.cluster ?? plan.serviceDefinition.cluster;
}

/** The service's task sets, for ensureTaskDefinition's reuse check; none for a standalone app or a service not created yet. */
export async function serviceTaskSets(plan: DeploymentPlan, ports: StagePorts): Promise<TaskSetInfo[]> {
  if (plan.standalone) return [];
  const { cluster, serviceName } = plan.serviceDefinition;
  return (await ports.ecs.findService(cluster, serviceName)) ? ports.ecs.listTaskSets(cluster, serviceName) : [];
}

/** Stops the tasks this deployment's ECS_RUN_TASK stages started that may still run (rollback, cancel). */
export async function stopRunTasks(plan: DeploymentPlan, state: DeploymentState, ports: StagePorts): Promise<number> {
  let stopped = 0;
  for (const taskArn of Object.values(state.runTaskArns ?? {})) {
    const task = await ports.ecs.describeTask(taskCluster(plan), taskArn);
    if (!task || task.lastStatus === 'STOPPED' || task.desiredStatus === 'STOPPED') continue;
    await ports.ecs.stopTask(taskCluster(plan), taskArn, `stepcd: deployment ${plan.deploymentId} is rolling back`);
    ports.log('rollback stopped task', { taskArn });
    stopped += 1;
  }
  return stopped;
}

export function shortTaskId(taskArn: string): string {
  return taskArn.slice(taskArn.lastIndexOf('/') + 1);
}
