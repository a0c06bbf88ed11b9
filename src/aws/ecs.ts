import {
  CreateServiceCommand,
  CreateTaskSetCommand,
  DeleteServiceCommand,
  DeleteTaskSetCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTaskSetsCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  UpdateServicePrimaryTaskSetCommand,
  type CreateServiceCommandInput,
  type CreateTaskSetCommandInput,
  type RegisterTaskDefinitionCommandInput,
  type Service,
  type Tag,
  type Task,
  type TaskSet,
} from '@aws-sdk/client-ecs';
import { AwsError, NotExternalError, type StepcdError, TooManyTaskSetsError, wrapAwsError } from '../errors.js';
import type { AwsClientConfig } from './client-config.js';
import { ecsTaskMethods } from './ecs-tasks.js';
import type { CreateTaskSetRequest, EcsPort, ServiceInfo, ServiceUpdate, StoppedTask, Tags, TaskSetInfo, TaskSetStatus } from '../stages/ports.js';

/** EcsPort over @aws-sdk/client-ecs. It only translates shapes and classifies errors. */
export function createEcsAdapter(config: AwsClientConfig | ECSClient): EcsPort {
  const client = config instanceof ECSClient ? config : new ECSClient(config);
  const call = async <T>(doing: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw classifyEcsError(doing, err);
    }
  };

  return {
    registerTaskDefinition: (definition, tags) =>
      call(`registering task definition ${String(definition.family)}`, async () => {
        const input = { ...definition, tags: mergeTags(definition.tags, tags) } as RegisterTaskDefinitionCommandInput;
        const out = await client.send(new RegisterTaskDefinitionCommand(input));
        const arn = out.taskDefinition?.taskDefinitionArn;
        if (!arn) throw new AwsError('RegisterTaskDefinition returned no ARN');
        return arn;
      }),

    latestTaskDefinition: (family) =>
      call(`describing task definition ${family}`, async () => {
        try {
          const out = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: family, include: ['TAGS'] }));
          const arn = out.taskDefinition?.taskDefinitionArn;
          if (!arn) return undefined;
          return { arn, tags: Object.fromEntries((out.tags ?? []).flatMap((t) => (t.key ? [[t.key, t.value ?? '']] : []))) };
        } catch (err) {
          // A family that was never registered is a ClientException, not a failure of ours.
          if ((err as { name?: string }).name === 'ClientException') return undefined;
          throw err;
        }
      }),

    findService: (cluster, serviceName) =>
      call(`describing service ${serviceName}`, async () => {
        const out = await client.send(new DescribeServicesCommand({ cluster, services: [serviceName], include: ['TAGS'] }));
        // An unknown service is a `failures: [{reason: MISSING}]` entry, not an exception.
        const service = out.services?.find((s) => s.status !== 'INACTIVE');
        return service ? toServiceInfo(service) : undefined;
      }),

    createService: (definition, tags) =>
      call(`creating service ${String(definition.serviceName)}`, async () => {
        const input = { ...definition, tags: toTagList(tags) } as CreateServiceCommandInput;
        const out = await client.send(new CreateServiceCommand(input));
        if (!out.service) throw new AwsError('CreateService returned no service');
        return toServiceInfo(out.service);
      }),

    updateService: (cluster, serviceName, update: ServiceUpdate) =>
      call(`updating service ${serviceName}`, async () => {
        await client.send(new UpdateServiceCommand({ cluster, service: serviceName, ...(update as object) }));
      }),

    deleteService: (cluster, serviceName) =>
      call(`deleting service ${serviceName}`, async () => {
        try {
          // DeleteService refuses a service with running tasks unless it is scaled to 0 first (or forced).
          await client.send(new UpdateServiceCommand({ cluster, service: serviceName, desiredCount: 0 }));
          await client.send(new DeleteServiceCommand({ cluster, service: serviceName, force: true }));
        } catch (err) {
          if (isNotFound(err)) return;
          throw err;
        }
      }),

    listTaskSets: (cluster, serviceName) =>
      call(`listing task sets of ${serviceName}`, async () => {
        const out = await client.send(new DescribeTaskSetsCommand({ cluster, service: serviceName, include: ['TAGS'] }));
        return (out.taskSets ?? []).map(toTaskSetInfo);
      }),

    createTaskSet: (request: CreateTaskSetRequest) =>
      call(`creating task set ${request.externalId} in ${request.service}`, async () => {
        const out = await client.send(new CreateTaskSetCommand(toCreateTaskSetInput(request)));
        if (!out.taskSet) throw new AwsError('CreateTaskSet returned no task set');
        return toTaskSetInfo(out.taskSet);
      }),

    describeTaskSet: (cluster, serviceName, taskSetId) =>
      call(`describing task set ${taskSetId}`, async () => {
        try {
          const out = await client.send(new DescribeTaskSetsCommand({ cluster, service: serviceName, taskSets: [taskSetId], include: ['TAGS'] }));
          const found = out.taskSets?.[0];
          return found ? toTaskSetInfo(found) : undefined;
        } catch (err) {
          if (isNotFound(err)) return undefined;
          throw err;
        }
      }),

    setPrimaryTaskSet: (cluster, serviceName, taskSetId) =>
      call(`making task set ${taskSetId} PRIMARY`, async () => {
        await client.send(new UpdateServicePrimaryTaskSetCommand({ cluster, service: serviceName, primaryTaskSet: taskSetId }));
      }),

    deleteTaskSet: (cluster, serviceName, taskSetId) =>
      call(`deleting task set ${taskSetId}`, async () => {
        try {
          // force: a set at non-zero scale cannot be deleted otherwise, and stepcd deletes only sets it means to.
          await client.send(new DeleteTaskSetCommand({ cluster, service: serviceName, taskSet: taskSetId, force: true }));
        } catch (err) {
          if (isNotFound(err)) return;
          throw err;
        }
      }),

    stoppedTasksOf: (cluster, taskSetId) =>
      call(`listing stopped tasks of task set ${taskSetId}`, async () => {
        // Tasks launched by a task set carry its id in startedBy.
        const arns: string[] = [];
        let nextToken: string | undefined;
        do {
          const page = await client.send(new ListTasksCommand({ cluster, startedBy: taskSetId, desiredStatus: 'STOPPED', nextToken }));
          arns.push(...(page.taskArns ?? []));
          nextToken = page.nextToken;
        } while (nextToken);
        const tasks: Task[] = [];
        for (let i = 0; i < arns.length; i += 100) {
          const out = await client.send(new DescribeTasksCommand({ cluster, tasks: arns.slice(i, i + 100) }));
          tasks.push(...(out.tasks ?? []));
        }
        return tasks
          .filter((t) => t.startedBy === undefined || t.startedBy === taskSetId)
          .sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0))
          .map(toStoppedTask);
      }),

    ...ecsTaskMethods(client, call),
  };
}

/** ECS says "too many task sets" and "not EXTERNAL" only in messages; name them so the ASL can tell. */
export function classifyEcsError(doing: string, err: unknown): StepcdError {
  const wrapped = wrapAwsError(doing, err);
  if (!(wrapped instanceof AwsError)) return wrapped;
  const message = (err as { message?: string })?.message ?? '';
  if (/deployments exist on the service|maximum limit/i.test(message)) return new TooManyTaskSetsError(wrapped.message, { cause: err });
  if (/EXTERNAL|deployment controller/i.test(message)) return new NotExternalError(wrapped.message, { cause: err });
  return wrapped;
}

function isNotFound(err: unknown): boolean {
  const name = (err as { name?: string })?.name ?? '';
  return name === 'TaskSetNotFoundException' || name === 'ServiceNotFoundException' || name === 'ServiceNotActiveException';
}

function toCreateTaskSetInput(r: CreateTaskSetRequest): CreateTaskSetCommandInput {
  return {
    cluster: r.cluster,
    service: r.service,
    taskDefinition: r.taskDefinitionArn,
    externalId: r.externalId,
    clientToken: r.clientToken,
    // Sent always: ECS's default scale is 0%, which would look like success while running nothing.
    scale: { unit: 'PERCENT', value: r.scalePercent },
    tags: toTagList(r.tags),
    ...(r.loadBalancer ? { loadBalancers: [r.loadBalancer] } : {}),
    ...(r.launchType ? { launchType: r.launchType } : {}),
    ...(r.platformVersion ? { platformVersion: r.platformVersion } : {}),
    ...(r.networkConfiguration ? { networkConfiguration: r.networkConfiguration } : {}),
    ...(r.capacityProviderStrategy ? { capacityProviderStrategy: r.capacityProviderStrategy } : {}),
    ...(r.serviceRegistries ? { serviceRegistries: r.serviceRegistries } : {}),
  } as CreateTaskSetCommandInput;
}

function toServiceInfo(s: Service): ServiceInfo {
  return {
    arn: s.serviceArn ?? '',
    name: s.serviceName ?? '',
    clusterArn: s.clusterArn ?? '',
    status: (s.status ?? 'ACTIVE') as ServiceInfo['status'],
    desiredCount: s.desiredCount ?? 0,
    deploymentController: s.deploymentController?.type ?? 'ECS',
    tags: fromTagList(s.tags),
    ...(s.healthCheckGracePeriodSeconds !== undefined ? { healthCheckGracePeriodSeconds: s.healthCheckGracePeriodSeconds } : {}),
    ...(s.placementConstraints ? { placementConstraints: s.placementConstraints.map((c) => ({ ...c })) } : {}),
    ...(s.placementStrategy ? { placementStrategy: s.placementStrategy.map((p) => ({ ...p })) } : {}),
    ...(s.enableECSManagedTags !== undefined ? { enableECSManagedTags: s.enableECSManagedTags } : {}),
    ...(s.propagateTags !== undefined ? { propagateTags: s.propagateTags } : {}),
  };
}

function toTaskSetInfo(t: TaskSet): TaskSetInfo {
  const targetGroupArn = t.loadBalancers?.[0]?.targetGroupArn;
  return {
    id: t.id ?? '',
    arn: t.taskSetArn ?? '',
    ...(t.externalId ? { externalId: t.externalId } : {}),
    status: (t.status ?? 'ACTIVE') as TaskSetStatus,
    stabilityStatus: t.stabilityStatus === 'STEADY_STATE' ? 'STEADY_STATE' : 'STABILIZING',
    taskDefinitionArn: t.taskDefinition ?? '',
    scalePercent: t.scale?.value ?? 0,
    computedDesiredCount: t.computedDesiredCount ?? 0,
    runningCount: t.runningCount ?? 0,
    pendingCount: t.pendingCount ?? 0,
    ...(targetGroupArn ? { targetGroupArn } : {}),
    ...(t.createdAt ? { createdAt: t.createdAt.getTime() } : {}),
    tags: fromTagList(t.tags),
  };
}

function toStoppedTask(t: Task): StoppedTask {
  const containerReasons = (t.containers ?? [])
    .filter((c) => (c.exitCode !== undefined && c.exitCode !== 0) || c.reason)
    .map((c) => `${c.name ?? 'container'}: ${c.exitCode !== undefined ? `exit ${c.exitCode}` : ''}${c.reason ? ` ${c.reason}` : ''}`.trim());
  return {
    taskArn: t.taskArn ?? '',
    ...(t.stopCode ? { stopCode: t.stopCode } : {}),
    ...(t.stoppedReason ? { stoppedReason: t.stoppedReason } : {}),
    containerReasons,
  };
}

function toTagList(tags: Tags): Tag[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

function fromTagList(tags: Tag[] | undefined): Tags {
  const out: Tags = {};
  for (const t of tags ?? []) if (t.key) out[t.key] = t.value ?? '';
  return out;
}

/** The taskdef may carry its own tags; ours are added, and win on a clash. */
function mergeTags(existing: unknown, ours: Tags): Tag[] {
  const list = Array.isArray(existing) ? (existing as Tag[]).filter((t) => t.key && !(t.key in ours)) : [];
  return [...list, ...toTagList(ours)];
}
