import type { Target } from './context.js';
import { requireDeployment } from './deployments.js';
import { formatDuration, table, type Output } from './output.js';
import type { ExecutionEvent } from './ports.js';
import { groupByStage, type StageLog } from './stage-logs.js';

export interface LogEntry {
  at: string;
  type: string;
  state?: string;
  detail?: string;
}

export interface LogsOptions {
  deploymentId: string;
  /** The execution's events as one flat table, as GetExecutionHistory returns them. */
  raw?: boolean;
}

/**
 * `stepcd logs <id>`: the execution's history (GetExecutionHistory) in sections, one per stage with
 * its status, duration and errors, between the bookkeeping before and the completion or rollback
 * after; `--raw` prints every event instead. A deployment that never started an execution (trigger
 * failed, superseded) has only its record to show.
 */
export async function logsCommand(opts: LogsOptions, target: Target, out: Output): Promise<number> {
  const record = await requireDeployment(target, opts.deploymentId);
  const events = record.executionArn ? await target.workflowAdmin.executionHistory(record.executionArn) : [];
  const entries = events.map(toLogEntry);
  const stages = groupByStage(entries, record.stages, record.errors);
  out.data({ deploymentId: record.deploymentId, executionArn: record.executionArn, stages, events: entries, errors: record.errors });
  if (!record.executionArn) out.line(`deployment ${record.deploymentId} has no execution (${record.status}${record.reason ? `: ${record.reason}` : ''})`);
  if (opts.raw) {
    if (entries.length > 0) for (const line of eventTable(entries)) out.line(line);
    for (const e of record.errors) out.line(out.paint('red', `error ${e.at}${e.stage ? ` [${e.stage}]` : ''} ${e.error}: ${e.cause}`));
    return 0;
  }
  for (const group of stages) printGroup(group, out);
  return 0;
}

function printGroup(group: StageLog, out: Output): void {
  const took = group.durationMs !== undefined ? ` (${formatDuration(group.durationMs)})` : '';
  const title = group.part === 'stage' ? `stage ${group.index} ${group.name}` : group.name;
  const status = group.status ? ` ${out.paint(group.status === 'SUCCESS' ? 'green' : group.status === 'FAILURE' ? 'red' : 'yellow', group.status)}` : '';
  out.line(out.paint('bold', `== ${title}`) + `${status}${took}`);
  if (group.detail) out.line(`   ${group.detail}`);
  const notable = group.events.filter((e) => e.detail || e.type.endsWith('StateEntered') || e.type.startsWith('Execution'));
  for (const e of notable) out.line(`   ${e.at}  ${e.type}${e.state ? ` ${e.state}` : ''}${e.detail ? `: ${e.detail}` : ''}`);
  for (const e of group.errors) out.line(out.paint('red', `   error ${e.at} ${e.error}: ${e.cause}`));
}

function eventTable(entries: LogEntry[]): string[] {
  return table(
    ['TIME', 'EVENT', 'STATE', 'DETAIL'],
    entries.map((e) => [e.at, e.type, e.state ?? '', e.detail ?? '']),
  );
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
