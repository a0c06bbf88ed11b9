/**
 * Regenerates schemas/event-detail.schema.json from EventDetailSchema:
 *   npx tsx src/notify/write-event-schema.ts
 * test/events/event-schema.test.ts fails when the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { eventDetailJsonSchema } from './event-schema.js';

export const EVENT_SCHEMA_PATH = fileURLToPath(new URL('../../schemas/event-detail.schema.json', import.meta.url));

export function renderEventSchema(): string {
  return `${JSON.stringify(eventDetailJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(EVENT_SCHEMA_PATH, renderEventSchema());
  console.log(`wrote ${EVENT_SCHEMA_PATH}`);
}
