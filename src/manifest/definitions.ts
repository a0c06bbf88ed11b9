import * as z from 'zod/mini';
import type { ServiceDefinition } from '../domain/plan.js';
import { fieldPath } from './issues.js';
import { isMapping, readValue, type ReadContext } from './read-object.js';
import { show } from './values.js';

/**
 * Fields ECS rejects on a CreateService with the EXTERNAL deployment controller and that stepcd
 * cannot move anywhere: it sets each task set's load balancer and task definition itself.
 */
const NOT_FOR_EXTERNAL: Record<string, string> = {
  loadBalancers:
    'is not allowed: with the EXTERNAL deployment controller load balancers belong to each task set; stepcd sets them from spec.input.targetGroups',
  taskDefinition:
    'is not allowed: with the EXTERNAL deployment controller the task definition belongs to each task set; stepcd registers it from the task definition file',
};

const loose = <T extends z.core.$ZodLooseShape>(shape: T) => z.looseObject(shape);
const nonEmpty = z.minLength(1, 'must not be empty');
const name = z.string().check(nonEmpty);
const ids = z.array(z.string().check(nonEmpty));

/**
 * Fields ECS rejects on an EXTERNAL service but takes on CreateTaskSet. PipeCD users write them in
 * servicedef.yaml; stepcd, as PipeCD does, sends them with every task set it creates instead.
 */
const TASK_SET_FIELDS: Record<string, z.core.$ZodType> = {
  launchType: z.enum(['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES']),
  platformVersion: name,
  capacityProviderStrategy: z
    .array(
      loose({
        capacityProvider: name,
        weight: z.optional(z.int('must be a whole number').check(z.gte(0, 'must be 0–1000'), z.lte(1000, 'must be 0–1000'))),
        base: z.optional(z.int('must be a whole number').check(z.gte(0, 'must be 0–100000'), z.lte(100000, 'must be 0–100000'))),
      }),
    )
    .check(z.minLength(1, 'must list at least one capacity provider')),
  networkConfiguration: loose({
    awsvpcConfiguration: loose({
      subnets: ids.check(z.minLength(1, 'must list at least one subnet')),
      securityGroups: z.optional(ids),
      assignPublicIp: z.optional(z.enum(['ENABLED', 'DISABLED'])),
    }),
  }),
  serviceRegistries: z.array(
    loose({ registryArn: z.optional(name), containerName: z.optional(name), containerPort: z.optional(z.int()), port: z.optional(z.int()) }),
  ),
};

/** Keys of the wrapper formats people put around CreateService input (PipeCD v1 style, CloudFormation). */
const WRAPPER_KEYS = ['apiVersion', 'kind', 'version', 'spec', 'service', 'Properties', 'metadata'];

/**
 * Checks a CreateService-shaped service definition. Unknown AWS fields pass: the file is AWS's shape,
 * and ECS validates the rest. Problems go to the issue list; the caller decides from it whether to go on.
 */
export function checkServiceDefinition(ctx: ReadContext, raw: unknown): ServiceDefinition | undefined {
  if (!isMapping(raw)) {
    ctx.issues.error(ctx.check, ctx.file, '', `must hold a mapping in the CreateService shape (got ${show(raw)})`);
    return undefined;
  }
  const wrapper = WRAPPER_KEYS.filter((k) => k in raw);
  if (wrapper.length > 0 && raw.serviceName === undefined && raw.cluster === undefined) {
    // One error, not "cluster is required" and friends: the fields are all there, one level down.
    ctx.issues.error(
      ctx.check,
      ctx.file,
      '',
      `must hold the CreateService fields (cluster, serviceName, deploymentController, ...) at its top level, but wraps them in ${wrapper.join(', ')}; remove the wrapper`,
    );
    return undefined;
  }
  const need = (key: string, schema: z.core.$ZodType) => readValue(ctx, schema, raw[key], key);
  need('cluster', name);
  need('serviceName', name);
  if (raw.desiredCount !== undefined) need('desiredCount', z.int('must be a whole number').check(z.gte(0, 'must be 0 or more')));
  for (const [key, schema] of Object.entries(TASK_SET_FIELDS)) {
    if (raw[key] !== undefined) need(key, schema);
  }
  if (raw.launchType !== undefined && raw.capacityProviderStrategy !== undefined) {
    ctx.issues.error(
      ctx.check,
      ctx.file,
      'capacityProviderStrategy',
      'cannot be set together with launchType: ECS refuses a task set with both (InvalidParameterException); keep one',
    );
  }
  const controller = raw.deploymentController;
  const type = isMapping(controller) ? controller.type : undefined;
  if (type !== 'EXTERNAL') {
    ctx.issues.error(ctx.check, ctx.file, 'deploymentController.type', 'must be EXTERNAL');
  }
  for (const [key, why] of Object.entries(NOT_FOR_EXTERNAL)) {
    if (raw[key] !== undefined) {
      ctx.issues.error(ctx.check, ctx.file, key, why);
    }
  }
  return raw as ServiceDefinition;
}

export interface ContainerInfo {
  name: string;
  image?: string;
  ports: number[];
  /** Field path of the container, for messages. */
  path: string;
}

const containerSchema = loose({
  name,
  image: z.string().check(nonEmpty),
  portMappings: z.optional(
    z.array(
      loose({ containerPort: z.optional(z.int('must be a whole number').check(z.gte(1, 'must be a port 1–65535'), z.lte(65535, 'must be a port 1–65535'))) }),
    ),
  ),
});

function readablePorts(item: Record<string, unknown>): number[] {
  const mappings = Array.isArray(item.portMappings) ? item.portMappings : [];
  return mappings.flatMap((m) => (isMapping(m) && typeof m.containerPort === 'number' ? [m.containerPort] : []));
}

/** Checks a RegisterTaskDefinition-shaped task definition and lists its readable containers for cross-checks. */
export function checkTaskDefinition(ctx: ReadContext, raw: unknown): { taskDefinition: Record<string, unknown>; containers: ContainerInfo[] } | undefined {
  if (!isMapping(raw)) {
    ctx.issues.error(ctx.check, ctx.file, '', `must hold a mapping in the RegisterTaskDefinition shape (got ${show(raw)})`);
    return undefined;
  }
  readValue(ctx, name, raw.family, 'family');
  const list = readValue(ctx, z.array(z.unknown()).check(z.minLength(1, 'must list at least one container')), raw.containerDefinitions, 'containerDefinitions');
  if (!list.ok) return undefined;
  const containers: ContainerInfo[] = [];
  const seen = new Set<string>();
  list.value.forEach((item, i) => {
    const path = fieldPath('containerDefinitions', i);
    const c = readValue(ctx, containerSchema, item, path);
    if (!c.ok) {
      // Its own error is reported; a readable name still counts, so target group checks do not add
      // a misleading "is not a container" on top.
      const named = isMapping(item) && typeof item.name === 'string' ? item.name : undefined;
      if (named && isMapping(item)) containers.push({ name: named, ports: readablePorts(item), path });
      return;
    }
    if (seen.has(c.value.name)) {
      ctx.issues.error(ctx.check, ctx.file, fieldPath(path, 'name'), `${show(c.value.name)} is used by another container; names must be unique`);
    }
    seen.add(c.value.name);
    const ports = (c.value.portMappings ?? []).flatMap((p) => (p.containerPort === undefined ? [] : [p.containerPort]));
    containers.push({ name: c.value.name, image: c.value.image, ports, path });
  });
  return { taskDefinition: raw, containers };
}
