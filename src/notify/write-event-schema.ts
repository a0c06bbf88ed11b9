/**
 * Regenerates schemas/event-detail.schema.json from EventDetailSchema (and the drift events' schema):
 *   npx tsx src/notify/write-event-schema.ts
 * test/events/event-schema.test.ts fails when the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { driftEventJsonSchema } from '../drift/event-schema.js';
import { eventDetailJsonSchema } from './event-schema.js';

export const EVENT_SCHEMA_PATH = fileURLToPath(new URL('../../schemas/event-detail.schema.json', import.meta.url));
/** DRIFT_DETECTED and DRIFT_RESOLVED carry an app's drift, not a deployment: their own schema. */
export const DRIFT_EVENT_SCHEMA_PATH = fileURLToPath(new URL('../../schemas/drift-event-detail.schema.json', import.meta.url));

export function renderEventSchema(): string {
  return `${JSON.stringify(eventDetailJsonSchema(), null, 2)}\n`;
}

export function renderDriftEventSchema(): string {
  return `${JSON.stringify(driftEventJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(EVENT_SCHEMA_PATH, renderEventSchema());
  writeFileSync(DRIFT_EVENT_SCHEMA_PATH, renderDriftEventSchema());
  console.log(`wrote ${EVENT_SCHEMA_PATH} and ${DRIFT_EVENT_SCHEMA_PATH}`);
}
