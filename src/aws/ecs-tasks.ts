import { DescribeTasksCommand, RunTaskCommand, StopTaskCommand, type ECSClient, type RunTaskCommandInput, type Task } from '@aws-sdk/client-ecs';
import { AwsError } from '../errors.js';
import type { EcsPort, RunTaskRequest, TaskInfo } from '../stages/ports.js';

type Call = <T>(doing: string, fn: () => Promise<T>) => Promise<T>;

/** The standalone-task part of EcsPort (RunTask, DescribeTasks, StopTask) over the SDK. */
export function ecsTaskMethods(client: ECSClient, call: Call): Pick<EcsPort, 'runTask' | 'describeTask' | 'stopTask'> {
  return {
    runTask: (request) =>
      call(`running a task of ${request.taskDefinitionArn}`, async () => {
        const out = await client.send(new RunTaskCommand(toRunTaskInput(request)));
        const task = out.tasks?.[0];
        if (!task) {
          const failure = out.failures?.[0];
          throw new AwsError(`RunTask started no task: ${failure?.reason ?? 'no reason given'}${failure?.detail ? ` (${failure.detail})` : ''}`);
        }
        return toTaskInfo(task);
      }),
    describeTask: (cluster, taskArn) =>
      call(`describing task ${taskArn}`, async () => {
        const out = await client.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] }));
        const task = out.tasks?.[0];
        return task ? toTaskInfo(task) : undefined;
      }),
    stopTask: (cluster, taskArn, reason) =>
      call(`stopping task ${taskArn}`, async () => {
        try {
          await client.send(new StopTaskCommand({ cluster, task: taskArn, reason: reason.slice(0, 255) }));
        } catch (err) {
          // A task ECS has forgotten is as stopped as it gets.
          if ((err as { name?: string }).name === 'InvalidParameterException' && /not found/i.test((err as Error).message)) return;
          throw err;
        }
      }),
  };
}

function toRunTaskInput(r: RunTaskRequest): RunTaskCommandInput {
  return {
    cluster: r.cluster,
    taskDefinition: r.taskDefinitionArn,
    count: 1,
    clientToken: r.clientToken,
    startedBy: r.startedBy,
    tags: Object.entries(r.tags).map(([key, value]) => ({ key, value })),
    ...(r.launchType ? { launchType: r.launchType } : {}),
    ...(r.platformVersion ? { platformVersion: r.platformVersion } : {}),
    ...(r.capacityProviderStrategy ? { capacityProviderStrategy: r.capacityProviderStrategy } : {}),
    ...(r.networkConfiguration ? { networkConfiguration: r.networkConfiguration } : {}),
    ...(r.overrides ? { overrides: r.overrides } : {}),
  } as RunTaskCommandInput;
}

function toTaskInfo(t: Task): TaskInfo {
  return {
    taskArn: t.taskArn ?? '',
    lastStatus: t.lastStatus ?? 'PENDING',
    ...(t.desiredStatus ? { desiredStatus: t.desiredStatus } : {}),
    ...(t.stopCode ? { stopCode: t.stopCode } : {}),
    ...(t.stoppedReason ? { stoppedReason: t.stoppedReason } : {}),
    containers: (t.containers ?? []).map((c) => ({
      name: c.name ?? '',
      ...(c.exitCode !== undefined ? { exitCode: c.exitCode } : {}),
      ...(c.reason ? { reason: c.reason } : {}),
    })),
  };
}
