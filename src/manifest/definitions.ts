import { z } from 'zod';
import type { ServiceDefinition } from '../domain/plan.js';
import { fieldPath } from './issues.js';
import { isMapping, readValue, type ReadContext } from './read-object.js';
import { show } from './values.js';

/**
 * Fields ECS refuses (or silently ignores) on a service with the EXTERNAL deployment controller,
 * because they belong to each task set. Each says where stepcd takes the value from instead.
 */
const NOT_FOR_EXTERNAL: Record<string, string> = {
  loadBalancers:
    'is not allowed: with the EXTERNAL deployment controller load balancers belong to each task set; stepcd sets them from spec.input.targetGroups',
  taskDefinition:
    'is not allowed: with the EXTERNAL deployment controller the task definition belongs to each task set; stepcd registers it from the task definition file',
  capacityProviderStrategy:
    'is not allowed: with the EXTERNAL deployment controller ECS ignores it on the service (it belongs to each task set, which stepcd does not support yet)',
  launchType:
    'is not allowed: with the EXTERNAL deployment controller ECS ignores the launch type on the service (it belongs to each task set)',
};

const loose = <T extends z.ZodRawShape>(shape: T) => z.looseObject(shape);
const name = z.string().min(1, 'must not be empty');

/**
 * Checks a CreateService-shaped service definition. Unknown AWS fields pass: the file is AWS's shape,
 * and ECS validates the rest. Problems go to the issue list; the caller decides from it whether to go on.
 */
export function checkServiceDefinition(ctx: ReadContext, raw: unknown): ServiceDefinition | undefined {
  if (!isMapping(raw)) {
    ctx.issues.error(ctx.check, ctx.file, '', `must hold a mapping in the CreateService shape (got ${show(raw)})`);
    return undefined;
  }
  const need = (key: string, schema: z.ZodType) => readValue(ctx, schema, raw[key], key);
  need('cluster', name);
  need('serviceName', name);
  if (raw.desiredCount !== undefined) need('desiredCount', z.number().int('must be a whole number').min(0, 'must be 0 or more'));
  if (raw.networkConfiguration !== undefined) need('networkConfiguration', loose({}));
  if (raw.serviceRegistries !== undefined) need('serviceRegistries', z.array(loose({})));
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
  image: z.string().min(1, 'must not be empty'),
  portMappings: z.array(loose({ containerPort: z.number().int('must be a whole number').min(1, 'must be a port 1–65535').max(65535, 'must be a port 1–65535').optional() })).optional(),
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
  const list = readValue(ctx, z.array(z.unknown()).min(1, 'must list at least one container'), raw.containerDefinitions, 'containerDefinitions');
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
