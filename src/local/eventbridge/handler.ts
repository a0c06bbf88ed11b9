import type { AwsRequest, AwsResponse, ServiceHandler } from '../aws-server.js';
import type { LocalEventBus } from './bus.js';

const TARGET = 'AWSEvents.PutEvents';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
const MAX_ENTRIES = 10;
const MAX_REQUEST_BYTES = 256 * 1024;

interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
  Resources?: string[];
  /** Epoch seconds on the wire. */
  Time?: number;
}

type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/**
 * awsJson1_1 `AWSEvents.PutEvents`: 1–10 entries, index-aligned results, HTTP 200 even when some
 * entries fail (as EventBridge does); only a malformed request as a whole is an HTTP 400.
 */
export function eventBridgeServiceHandler(bus: LocalEventBus): ServiceHandler {
  return async function handlePutEvents(req: AwsRequest): Promise<AwsResponse | undefined> {
    if (!req.target?.startsWith('AWSEvents.')) return undefined;
    if (req.target !== TARGET) return reply(400, { __type: 'UnknownOperationException', message: `local EventBridge does not support ${req.target}` });
    let entries: PutEventsEntry[];
    try {
      entries = (JSON.parse(req.body || '{}') as { Entries?: PutEventsEntry[] }).Entries ?? [];
    } catch {
      return reply(400, { __type: 'SerializationException', message: 'request body is not JSON' });
    }
    if (!Array.isArray(entries) || entries.length < 1 || entries.length > MAX_ENTRIES) {
      return reply(400, { __type: 'ValidationException', message: `Entries must hold 1 to ${MAX_ENTRIES} items` });
    }
    const size = entries.reduce((sum, e) => sum + entrySize(e), 0);
    if (size > MAX_REQUEST_BYTES) {
      return reply(400, {
        __type: 'ValidationException',
        message: `Total size of the entries in the request is over the limit (${size} > ${MAX_REQUEST_BYTES} bytes)`,
      });
    }
    const results = entries.map((entry) => putEntry(bus, entry));
    return reply(200, { FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results });
  };
}

function putEntry(bus: LocalEventBus, e: PutEventsEntry): EntryResult {
  if (!e.Source) return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' };
  if (!e.DetailType) return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' };
  if (e.Detail === undefined) return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.' };
  let detail: unknown;
  try {
    detail = JSON.parse(e.Detail);
  } catch {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  }
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed: it must be a JSON object.' };
  }
  const event = bus.publishLocal({
    source: e.Source,
    detailType: e.DetailType,
    detail,
    eventBusName: e.EventBusName,
    resources: e.Resources,
    ...(typeof e.Time === 'number' && { time: new Date(e.Time * 1000) }),
  });
  return { EventId: event.id };
}

/** EventBridge's entry size: Source, DetailType, Detail and Resources in UTF-8, plus 14 bytes for Time. */
function entrySize(e: PutEventsEntry): number {
  const bytes = (s: string | undefined): number => (s ? Buffer.byteLength(s, 'utf8') : 0);
  return 14 + bytes(e.Source) + bytes(e.DetailType) + bytes(e.Detail) + (e.Resources ?? []).reduce((n, r) => n + bytes(r), 0);
}

function reply(status: number, body: unknown): AwsResponse {
  return { status, headers: { 'content-type': CONTENT_TYPE }, body: JSON.stringify(body) };
}
