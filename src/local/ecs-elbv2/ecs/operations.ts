import type { EcsOperation } from './context.js';
import { createCluster, describeClusters } from './clusters.js';
import { createService, deleteService, describeServices, listServices, updateService } from './services.js';
import { listTagsForResource, tagResource, untagResource } from './tags.js';
import { deregisterTaskDefinition, describeTaskDefinition, listTaskDefinitions, registerTaskDefinition } from './task-definitions.js';
import { createTaskSet, deleteTaskSet, describeTaskSets, updateServicePrimaryTaskSet, updateTaskSet } from './task-sets.js';
import { describeTasks, listTasks } from './tasks.js';
import { runTask, stopTask } from './run-task.js';

/** The ECS operations the emulator answers, by wire name. */
export const ECS_OPERATIONS: Record<string, EcsOperation> = {
  CreateCluster: createCluster,
  DescribeClusters: describeClusters,
  CreateService: createService,
  UpdateService: updateService,
  DescribeServices: describeServices,
  ListServices: listServices,
  DeleteService: deleteService,
  RegisterTaskDefinition: registerTaskDefinition,
  DescribeTaskDefinition: describeTaskDefinition,
  DeregisterTaskDefinition: deregisterTaskDefinition,
  ListTaskDefinitions: listTaskDefinitions,
  CreateTaskSet: createTaskSet,
  DescribeTaskSets: describeTaskSets,
  UpdateTaskSet: updateTaskSet,
  UpdateServicePrimaryTaskSet: updateServicePrimaryTaskSet,
  DeleteTaskSet: deleteTaskSet,
  ListTasks: listTasks,
  DescribeTasks: describeTasks,
  RunTask: runTask,
  StopTask: stopTask,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
};
