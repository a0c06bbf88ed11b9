import { appendFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordedCall } from '../../../src/local/call-recorder.js';

/**
 * The names one local stack gave the resources that serverless.yml names differently, so a
 * recorded ARN can be rewritten to the deployed one (history table, event bus, state machine).
 */
export interface LocalNames {
  tableName: string;
  eventBusName: string;
  stateMachineArn: string;
}

export interface CallLogEntry {
  /** The test file that ran the stack, to say where a denied request came from. */
  file: string;
  names: LocalNames;
  calls: RecordedCall[];
}

/** Set by test/iam/global-setup.ts for the whole run; every worker process appends to its own file. */
export const CALL_LOG_DIR_ENV = 'STEPCD_IAM_CALL_LOG_DIR';

/** Appends one stack's calls to this worker's log, when the run collects them (no-op otherwise). */
export function appendCallLog(entry: CallLogEntry, dir = process.env[CALL_LOG_DIR_ENV]): void {
  if (!dir) return;
  // The tests' own calls (principal `local`) are not the product's; repeats add nothing.
  const distinct = new Map(entry.calls.filter((c) => c.principal !== 'local').map((c) => [JSON.stringify(c), c]));
  // Written even when empty: test/iam tells a whole run by every recording file having reported.
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, `calls-${process.pid}.jsonl`), `${JSON.stringify({ ...entry, calls: [...distinct.values()] })}\n`);
}

export function readCallLogs(dir: string): CallLogEntry[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
  } catch {
    return [];
  }
  return files.flatMap((f) =>
    readFileSync(join(dir, f), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as CallLogEntry),
  );
}
