import type { PlannedStage } from '../domain/plan.js';
import type { AppManifest } from '../manifest/index.js';
import { diffDesired, type FieldChange } from './diff.js';
import { chooseStrategy, quickSyncStages } from './strategy.js';

/**
 * A live service as DescribeServices returns it and the PRIMARY task set's task definition as
 * DescribeTaskDefinition returns it: plain JSON in AWS API shape (camelCase, tags as `[{key, value}]`),
 * the same shape as servicedef.yaml and taskdef.yaml, so `stepcd plan` can diff them field by field.
 */
export interface LiveService {
  service: Record<string, unknown>;
  primaryTaskDefinitionArn?: string;
  /** Absent when the service has no PRIMARY task set yet. */
  taskDefinition?: Record<string, unknown>;
}

export interface LiveEcsReader {
  /** The ACTIVE (or DRAINING) service and its live task definition; undefined when the service or its cluster is missing. */
  describeLive(cluster: string, serviceName: string): Promise<LiveService | undefined>;
  close(): void;
}

/** Fields of a service definition that DescribeServices names differently or never returns. */
const SERVICE_FIELDS_NOT_COMPARED = new Set(['cluster']);

export interface PlanReport {
  app: string;
  strategy: 'QUICK_SYNC' | 'PIPELINE';
  stages: { index: number; name: string; with: unknown }[];
  service: { exists: boolean; changes: FieldChange[] };
  taskDefinition: { liveArn?: string; changes: FieldChange[] };
  /** A standalone task app: no service; each deployment registers the task definition and runs it once. */
  standalone?: { cluster: string };
}

/**
 * What a push of this app would do to the live service: the strategy the planner would choose, the
 * stages, and the service and task definition diffs. Read-only; `stepcd plan` prints it and
 * pull-request checks post it.
 */
export async function planApp(app: AppManifest, ecs: LiveEcsReader): Promise<PlanReport> {
  if (app.standalone) {
    // A standalone task has no service to read or diff: each deployment runs its task once.
    const strategy = app.stages.length > 0 ? 'PIPELINE' : 'QUICK_SYNC';
    const stages = strategy === 'PIPELINE' ? app.stages : quickSyncStages(true);
    return {
      app: app.name,
      strategy,
      stages: stages.map((s) => ({ index: s.index, name: s.name, with: s.with })),
      service: { exists: false, changes: [] },
      taskDefinition: { changes: [] },
      standalone: { cluster: app.standalone.cluster },
    };
  }
  const { cluster, serviceName } = app.serviceDefinition;
  const live = await ecs.describeLive(cluster, serviceName);
  const strategy = chooseStrategy({ hasPipeline: app.stages.length > 0, serviceExists: live !== undefined, alwaysUsePipeline: app.alwaysUsePipeline });
  const desiredService = Object.fromEntries(Object.entries(app.serviceDefinition).filter(([k]) => !SERVICE_FIELDS_NOT_COMPARED.has(k)));
  return {
    app: app.name,
    strategy,
    stages: (strategy === 'PIPELINE' ? app.stages : quickSync()).map((s) => ({ index: s.index, name: s.name, with: s.with })),
    service: { exists: live !== undefined, changes: live ? diffDesired(tagsByKey(live.service), tagsByKey(desiredService)) : [] },
    taskDefinition: {
      ...(live?.primaryTaskDefinitionArn ? { liveArn: live.primaryTaskDefinitionArn } : {}),
      changes: live?.taskDefinition ? diffDesired(tagsByKey(live.taskDefinition), tagsByKey(app.taskDefinition)) : [],
    },
  };
}

/**
 * Tags compare by key, not by position, and without the `stepcd:*` tags stepcd adds to everything it
 * creates (and AWS's own `aws:*`), which no manifest states.
 */
export function tagsByKey<T extends object>(resource: T): T {
  const tags = (resource as { tags?: unknown }).tags;
  if (!Array.isArray(tags)) return resource;
  const byKey: Record<string, unknown> = {};
  for (const t of tags as { key?: string; value?: unknown }[]) {
    if (t.key && !t.key.startsWith('stepcd:') && !t.key.startsWith('aws:')) byKey[t.key] = t.value;
  }
  return { ...resource, tags: byKey };
}

function quickSync(): Pick<PlannedStage, 'index' | 'name' | 'with'>[] {
  return [{ index: 0, name: 'ECS_SYNC', with: {} as never }];
}
