import { z } from 'zod';

/**
 * The drift events' detail as a zod schema, for the committed JSON Schema and its tests. Apart from
 * src/drift/events.ts (which only takes the type), so classic zod stays out of the drift-check bundle.
 */
export const DriftEventDetailSchema = z
  .strictObject({
    app: z.strictObject({ name: z.string().min(1), labels: z.record(z.string(), z.string()) }),
    status: z.enum(['DRIFTED', 'IN_SYNC']),
    deploymentId: z.string().min(1).meta({ description: 'The last successful deployment the live state was compared with.' }),
    commit: z.strictObject({ sha: z.string().min(1) }),
    service: z.strictObject({ cluster: z.string().min(1), serviceName: z.string().min(1) }),
    items: z
      .array(z.strictObject({ field: z.string().min(1), expected: z.string(), actual: z.string() }))
      .meta({ description: 'What differs; empty when resolved.' }),
    since: z.iso.datetime(),
  })
  .meta({ title: 'stepcd drift event detail', description: 'Detail of DRIFT_DETECTED and DRIFT_RESOLVED events.' });

export type DriftEventDetail = z.infer<typeof DriftEventDetailSchema>;

export const DRIFT_EVENT_SCHEMA_ID = 'https://stepcd.dev/schemas/drift-event-detail.schema.json';

/** The JSON Schema committed as schemas/drift-event-detail.schema.json. */
export function driftEventJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(DriftEventDetailSchema, { target: 'draft-2020-12' });
  return { $schema, $id: DRIFT_EVENT_SCHEMA_ID, ...rest };
}
