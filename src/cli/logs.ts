import type { Target } from './context.js';
import { requireDeployment } from './deployments.js';
import { table, type Output } from './output.js';
import type { ExecutionEvent } from './ports.js';

export interface LogEntry {
  at: string;
  type: string;
  state?: string;
  detail?: string;
}

/**
 * `stepcd logs <id>`: the execution's own event history (GetExecutionHistory), which shows every
 * state, retry and failure, followed by the errors the record kept. A deployment that never started
 * an execution (trigger failed, superseded) has only its record to show.
 */
export async function logsCommand(opts: { deploymentId: string }, target: Target, out: Output): Promise<number> {
  const record = await requireDeployment(target, opts.deploymentId);
  const events = record.executionArn ? await target.workflowAdmin.executionHistory(record.executionArn) : [];
  const entries = events.map(toLogEntry);
  out.data({ deploymentId: record.deploymentId, executionArn: record.executionArn, events: entries, errors: record.errors });
  if (!record.executionArn) out.line(`deployment ${record.deploymentId} has no execution (${record.status}${record.reason ? `: ${record.reason}` : ''})`);
  for (const line of table(
    ['TIME', 'EVENT', 'STATE', 'DETAIL'],
    entries.map((e) => [e.at, e.type, e.state ?? '', e.detail ?? '']),
  )) {
    if (entries.length > 0) out.line(line);
  }
  for (const e of record.errors) out.line(out.paint('red', `error ${e.at}${e.stage ? ` [${e.stage}]` : ''} ${e.error}: ${e.cause}`));
  return 0;
}

/** One readable line per SFN event: the state it concerns and, for failures, error and cause. */
export function toLogEntry(e: ExecutionEvent): LogEntry {
  const detail = e.error || e.cause ? [e.error, e.cause].filter(Boolean).join(': ') : undefined;
  return { at: e.at ?? '', type: e.type, ...(e.state ? { state: e.state } : {}), ...(detail ? { detail: oneLine(detail) } : {}) };
}

function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
