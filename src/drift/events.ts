import { z } from 'zod';
import type { DriftState } from './types.js';

/** EventBridge DetailTypes of the drift check (Source `stepcd`, like deployment events). */
export const DriftDetailType = {
  DRIFT_DETECTED: 'DRIFT_DETECTED',
  DRIFT_RESOLVED: 'DRIFT_RESOLVED',
} as const;
export type DriftDetailType = (typeof DriftDetailType)[keyof typeof DriftDetailType];

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

export interface DriftEvent {
  detailType: DriftDetailType;
  detail: DriftEventDetail;
}

/** Port: publishes drift events to the stack's bus. */
export interface DriftEventPublisher {
  publishDrift(event: DriftEvent): Promise<void>;
}

export function driftEvent(state: DriftState): DriftEvent {
  const { baseline } = state;
  return {
    detailType: state.status === 'DRIFTED' ? DriftDetailType.DRIFT_DETECTED : DriftDetailType.DRIFT_RESOLVED,
    detail: {
      app: { name: state.app, labels: baseline.labels },
      status: state.status,
      deploymentId: baseline.deploymentId,
      commit: { sha: baseline.commitSha },
      service: { cluster: baseline.cluster, serviceName: baseline.serviceName },
      items: state.items,
      since: state.since,
    },
  };
}

export const DRIFT_EVENT_SCHEMA_ID = 'https://stepcd.dev/schemas/drift-event-detail.schema.json';

/** The JSON Schema committed as schemas/drift-event-detail.schema.json. */
export function driftEventJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(DriftEventDetailSchema, { target: 'draft-2020-12' });
  return { $schema, $id: DRIFT_EVENT_SCHEMA_ID, ...rest };
}
