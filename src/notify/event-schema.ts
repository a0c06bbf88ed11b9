import { z } from 'zod';
import { DeploymentStatus } from '../domain/deployment.js';
import { DetailType, EVENT_SOURCE, type EventDetail } from '../domain/events.js';

// Its own module, imported by tooling and tests only: zod's classic build is ~450 KB of every Lambda
// bundle that imports it, and no function validates what it publishes at run time.

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

/** The JSON Schema committed as schemas/event-detail.schema.json. */
export function eventDetailJsonSchema(): Record<string, unknown> {
  // `$id` is added here rather than through `.meta({ id })`, which would make zod move the whole
  // schema under `$defs` behind a `$ref`.
  const { $schema, ...rest } = z.toJSONSchema(EventDetailSchema, { target: 'draft-2020-12' });
  return { $schema, $id: EVENT_DETAIL_SCHEMA_ID, ...rest };
}
