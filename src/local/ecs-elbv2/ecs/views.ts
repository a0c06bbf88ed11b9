import { epochSeconds } from '../wire/json-protocol.js';
import { taskStatusAt } from '../lifecycle.js';
import { digitsOf } from '../ids.js';
import type { Cluster, Service, Task, TaskDefinition, TaskSet } from '../state.js';
import { tagsOut, type EcsContext } from './context.js';

/** API shapes (as DescribeX returns them) built from stored facts and the clock. */

export function clusterView(ctx: EcsContext, cluster: Cluster, withTags: boolean): Record<string, unknown> {
  const services = [...ctx.world.services.values()].filter((s) => s.cluster === cluster.name && s.status === 'ACTIVE');
  const tasks = [...ctx.world.tasks.values()].filter((t) => t.cluster === cluster.name);
  const statuses = tasks.map((t) => taskStatusAt(t, ctx.now, ctx.timings));
  return {
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    status: 'ACTIVE',
    activeServicesCount: services.length,
    runningTasksCount: statuses.filter((s) => s === 'RUNNING').length,
    pendingTasksCount: statuses.filter((s) => s === 'PENDING').length,
    registeredContainerInstancesCount: 0,
    tags: withTags ? tagsOut(cluster.tags) : undefined,
  };
}

export function taskSetView(ctx: EcsContext, set: TaskSet, withTags: boolean): Record<string, unknown> {
  const counts = ctx.observer.countsOf(set, ctx.now);
  return {
    id: set.id,
    taskSetArn: set.arn,
    serviceArn: set.serviceArn,
    clusterArn: set.clusterArn,
    externalId: set.externalId,
    status: set.status,
    taskDefinition: set.taskDefinitionArn,
    computedDesiredCount: counts.computedDesiredCount,
    pendingCount: counts.pendingCount,
    runningCount: counts.runningCount,
    createdAt: epochSeconds(set.createdAt),
    updatedAt: epochSeconds(set.updatedAt),
    launchType: set.launchType,
    ...set.extra,
    loadBalancers: set.loadBalancers,
    serviceRegistries: set.extra.serviceRegistries ?? [],
    scale: set.scale,
    stabilityStatus: set.stabilityStatus,
    stabilityStatusAt: epochSeconds(set.stabilityStatusAt),
    tags: withTags ? tagsOut(set.tags) : undefined,
  };
}

export function serviceView(ctx: EcsContext, service: Service, withTags: boolean): Record<string, unknown> {
  const sets = service.taskSetIds.flatMap((id) => {
    const set = ctx.world.taskSets.get(id);
    return set ? [set] : [];
  });
  const primary = sets.find((s) => s.status === 'PRIMARY');
  const counts = sets.map((s) => ctx.observer.countsOf(s, ctx.now));
  const external = service.controller === 'EXTERNAL';
  const rollingDeployment = {
    id: `ecs-svc/${digitsOf(service.arn)}`,
    status: 'PRIMARY',
    taskDefinition: service.taskDefinitionArn,
    desiredCount: service.desiredCount,
    runningCount: service.desiredCount,
    pendingCount: 0,
    rolloutState: 'COMPLETED',
    createdAt: epochSeconds(service.createdAt),
    updatedAt: epochSeconds(service.createdAt),
  };
  return {
    serviceArn: service.arn,
    serviceName: service.name,
    clusterArn: service.clusterArn,
    status: service.status,
    desiredCount: service.desiredCount,
    // EXTERNAL: the service's counts are the sums over its task sets.
    runningCount: external ? counts.reduce((n, c) => n + c.runningCount, 0) : service.status === 'ACTIVE' ? service.desiredCount : 0,
    pendingCount: external ? counts.reduce((n, c) => n + c.pendingCount, 0) : 0,
    // The primary task set's fields become the service's.
    taskDefinition: external ? primary?.taskDefinitionArn : service.taskDefinitionArn,
    launchType: external ? primary?.launchType : service.extra.launchType,
    loadBalancers: external ? (primary?.loadBalancers ?? []) : (service.extra.loadBalancers ?? []),
    networkConfiguration: external ? primary?.extra.networkConfiguration : service.extra.networkConfiguration,
    serviceRegistries: [],
    taskSets: external ? sets.map((s) => taskSetView(ctx, s, withTags)) : undefined,
    deployments: external ? [] : [rollingDeployment],
    deploymentController: { type: service.controller },
    deploymentConfiguration: service.extra.deploymentConfiguration ?? { maximumPercent: 200, minimumHealthyPercent: 100 },
    schedulingStrategy: service.extra.schedulingStrategy ?? 'REPLICA',
    placementConstraints: service.extra.placementConstraints ?? [],
    placementStrategy: service.extra.placementStrategy ?? [],
    healthCheckGracePeriodSeconds: service.extra.healthCheckGracePeriodSeconds,
    enableECSManagedTags: service.extra.enableECSManagedTags ?? false,
    propagateTags: service.extra.propagateTags ?? 'NONE',
    events: [],
    createdAt: epochSeconds(service.createdAt),
    tags: withTags ? tagsOut(service.tags) : undefined,
  };
}

export function taskDefinitionView(definition: TaskDefinition): Record<string, unknown> {
  return {
    ...definition.extra,
    taskDefinitionArn: definition.arn,
    family: definition.family,
    revision: definition.revision,
    status: definition.status,
    containerDefinitions: definition.containerDefinitions,
    compatibilities: ['EC2', 'FARGATE'],
    registeredAt: epochSeconds(definition.registeredAt),
    deregisteredAt: definition.deregisteredAt === undefined ? undefined : epochSeconds(definition.deregisteredAt),
  };
}

export function taskView(ctx: EcsContext, task: Task): Record<string, unknown> {
  const lastStatus = taskStatusAt(task, ctx.now, ctx.timings);
  const stopping = task.stopRequestedAt !== undefined && ctx.now >= task.stopRequestedAt;
  const stopped = lastStatus === 'STOPPED';
  return {
    taskArn: task.arn,
    clusterArn: task.clusterArn,
    taskDefinitionArn: task.taskDefinitionArn,
    startedBy: task.startedBy ?? (task.taskSetId || undefined),
    group: task.group ?? `service:${task.service}`,
    lastStatus,
    desiredStatus: task.stopRequestedAt === undefined ? 'RUNNING' : 'STOPPED',
    launchType: task.launchType,
    createdAt: epochSeconds(task.createdAt),
    startedAt: ctx.now >= task.runningAt && (task.stopRequestedAt ?? Infinity) >= task.runningAt ? epochSeconds(task.runningAt) : undefined,
    stoppingAt: stopping ? epochSeconds(task.stopRequestedAt as number) : undefined,
    stoppedAt: stopped ? epochSeconds(task.stoppedAt as number) : undefined,
    stoppedReason: stopping ? task.stoppedReason : undefined,
    stopCode: stopping ? task.stopCode : undefined,
    tags: task.tags && task.tags.length > 0 ? tagsOut(task.tags) : undefined,
    containers: task.containers.map((c, i) => ({
      containerArn: `${task.arn.replace(':task/', ':container/')}/${i}`,
      taskArn: task.arn,
      name: c.name,
      image: c.image,
      lastStatus: stopped ? 'STOPPED' : lastStatus === 'PENDING' ? 'PENDING' : 'RUNNING',
      // The first container stands for the essential one that a crash fault makes exit.
      exitCode: stopped ? (i === 0 && task.exitCode !== undefined ? task.exitCode : (c.exitCode ?? 0)) : undefined,
      reason: stopped ? (i === 0 && task.containerReason !== undefined ? task.containerReason : c.reason) : undefined,
      networkInterfaces: [{ attachmentId: task.id, privateIpv4Address: task.ip }],
    })),
  };
}
