import { z } from 'zod';
import { DeploymentStatus, type DeploymentRecord } from '../domain/deployment.js';
import { DetailType, EVENT_SOURCE, type DeploymentEvent, type EventDetail } from '../domain/events.js';
import type { DeploymentPlan } from '../domain/plan.js';
import { isFinal } from '../history/records.js';

/**
 * The one source of truth for the EventBridge `detail` (ARCHITECTURE §7). schemas/event-detail.schema.json
 * is generated from it (src/notify/write-event-schema.ts) and a test keeps the two equal.
 */
export const EventDetailSchema = z
  .strictObject({
    deploymentId: z.string().min(1),
    app: z.strictObject({
      name: z.string().min(1),
      labels: z.record(z.string(), z.string()),
    }),
    commit: z.strictObject({
      sha: z.string().min(1),
      message: z.string(),
      author: z.string(),
    }),
    status: z.enum(Object.values(DeploymentStatus) as [DeploymentStatus, ...DeploymentStatus[]]),
    stage: z
      .strictObject({
        index: z.number().int().min(0),
        name: z.string().min(1),
      })
      .optional(),
    reason: z.string().optional(),
    approver: z.string().optional(),
    startedAt: z.iso.datetime(),
    endedAt: z.iso.datetime().optional(),
    executionArn: z.string().startsWith('arn:').optional().meta({ description: "The Step Functions execution; also in the event's resources." }),
    serviceArn: z.string().startsWith('arn:').optional().meta({ description: "The ECS service; also in the event's resources." }),
    taskDefinitionArn: z
      .string()
      .startsWith('arn:')
      .optional()
      .meta({ description: 'The task definition being deployed, once registered; also in resources.' }),
  })
  .meta({
    title: 'stepcd event detail',
    description:
      `The \`detail\` of every EventBridge event stepcd publishes, with Source "${EVENT_SOURCE}" and DetailType ` +
      `one of ${Object.values(DetailType).join(', ')}. It describes exactly what this stepcd version emits.`,
  });

export const EVENT_DETAIL_SCHEMA_ID = 'https://stepcd.dev/schemas/event-detail.schema.json';

// Compile-time guard: the schema and the domain type must describe the same shape, both ways.
type SchemaDetail = z.infer<typeof EventDetailSchema>;
const schemaMatchesDomain: [SchemaDetail] extends [EventDetail] ? ([EventDetail] extends [SchemaDetail] ? true : false) : false = true;
void schemaMatchesDomain;

export interface EventDetailOptions {
  status: DeploymentStatus;
  stage?: { index: number; name: string };
  reason?: string;
  approver?: string;
  /** The moment of the event: `endedAt` of a final status when the record has none yet. */
  now: Date | string;
}

function iso(now: Date | string): string {
  return typeof now === 'string' ? now : now.toISOString();
}

function isRecord(source: DeploymentRecord | DeploymentPlan): source is DeploymentRecord {
  return 'status' in source;
}

/**
 * Builds the detail from a history record (the usual case) or from the plan (at trigger time, before
 * any record is read back). Only the public fields are copied: the plan's task definition, repo and
 * directory never reach the bus.
 */
export function eventDetail(source: DeploymentRecord | DeploymentPlan, opts: EventDetailOptions): EventDetail {
  const now = iso(opts.now);
  const startedAt = source.createdAt;
  const recordedEnd = isRecord(source) ? source.endedAt : undefined;
  const endedAt = isFinal(opts.status) ? (recordedEnd ?? now) : undefined;
  return {
    deploymentId: source.deploymentId,
    app: { name: source.app.name, labels: { ...source.app.labels } },
    commit: { sha: source.commit.sha, message: source.commit.message, author: source.commit.author },
    status: opts.status,
    ...(opts.stage && { stage: { index: opts.stage.index, name: opts.stage.name } }),
    ...(opts.reason !== undefined && { reason: opts.reason }),
    ...(opts.approver !== undefined && { approver: opts.approver }),
    startedAt,
    ...(endedAt !== undefined && { endedAt }),
    ...resourcesOf(source),
  };
}

/** What the event is about, as ARNs: known once the execution started (and the task definition registered). */
function resourcesOf(source: DeploymentRecord | DeploymentPlan): Pick<EventDetail, 'executionArn' | 'serviceArn' | 'taskDefinitionArn'> {
  if (!isRecord(source)) return {};
  const executionArn = source.executionArn;
  const scope = executionArn ? /^arn:([^:]+):states:([^:]*):([^:]*):/.exec(executionArn) : null;
  const service = source.service;
  return {
    ...(executionArn && { executionArn }),
    ...(scope && service && { serviceArn: `arn:${scope[1]}:ecs:${scope[2]}:${scope[3]}:service/${service.cluster}/${service.serviceName}` }),
    ...(source.state?.taskDefinitionArn && { taskDefinitionArn: source.state.taskDefinitionArn }),
  };
}

/**
 * The DetailType announcing that a deployment reached `status`, or undefined for statuses that have
 * no event of their own. SUPERSEDED is announced as DEPLOYMENT_CANCELLED (with a reason), since for a
 * subscriber both mean "this commit was not deployed and nothing went wrong".
 */
export function detailTypeForStatus(status: DeploymentStatus): DetailType {
  switch (status) {
    case 'PENDING':
      return DetailType.DEPLOYMENT_TRIGGERED;
    case 'RUNNING':
      return DetailType.DEPLOYMENT_STARTED;
    case 'WAITING_APPROVAL':
      return DetailType.DEPLOYMENT_WAIT_APPROVAL;
    case 'ROLLING_BACK':
      return DetailType.DEPLOYMENT_ROLLING_BACK;
    case 'SUCCESS':
      return DetailType.DEPLOYMENT_SUCCEEDED;
    case 'FAILURE':
      return DetailType.DEPLOYMENT_FAILED;
    case 'CANCELLED':
    case 'SUPERSEDED':
      return DetailType.DEPLOYMENT_CANCELLED;
    case 'TRIGGER_FAILED':
      return DetailType.DEPLOYMENT_TRIGGER_FAILED;
  }
}

/** The event for a status change: `detailTypeForStatus` plus `eventDetail`. */
export function statusEvent(source: DeploymentRecord | DeploymentPlan, opts: EventDetailOptions): DeploymentEvent {
  return { detailType: detailTypeForStatus(opts.status), detail: eventDetail(source, opts) };
}

/** The JSON Schema committed as schemas/event-detail.schema.json. */
export function eventDetailJsonSchema(): Record<string, unknown> {
  // `$id` is added here rather than through `.meta({ id })`, which would make zod move the whole
  // schema under `$defs` behind a `$ref`.
  const { $schema, ...rest } = z.toJSONSchema(EventDetailSchema, { target: 'draft-2020-12' });
  return { $schema, $id: EVENT_DETAIL_SCHEMA_ID, ...rest };
}
