import { GetExecutionHistoryCommand, type HistoryEvent, type SFNClient } from '@aws-sdk/client-sfn';
import { wrapAwsError } from '../errors.js';
import type { Target } from './context.js';
import { requireDeployment } from './deployments.js';
import { table, type Output } from './output.js';

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
  const events = record.executionArn ? await executionHistory(target.sfnClient, record.executionArn) : [];
  const entries = events.map(toLogEntry);
  out.data({ deploymentId: record.deploymentId, executionArn: record.executionArn, events: entries, errors: record.errors });
  if (!record.executionArn) out.line(`deployment ${record.deploymentId} has no execution (${record.status}${record.reason ? `: ${record.reason}` : ''})`);
  for (const line of table(['TIME', 'EVENT', 'STATE', 'DETAIL'], entries.map((e) => [e.at, e.type, e.state ?? '', e.detail ?? '']))) {
    if (entries.length > 0) out.line(line);
  }
  for (const e of record.errors) out.line(out.paint('red', `error ${e.at}${e.stage ? ` [${e.stage}]` : ''} ${e.error}: ${e.cause}`));
  return 0;
}

export async function executionHistory(sfn: SFNClient, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, ...(nextToken ? { nextToken } : {}) }));
      events.push(...(page.events ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
  } catch (err) {
    throw wrapAwsError(`reading the history of execution ${executionArn}`, err);
  }
  return events;
}

/** One readable line per SFN event: the state it concerns and, for failures, error and cause. */
export function toLogEntry(e: HistoryEvent): LogEntry {
  const at = e.timestamp ? e.timestamp.toISOString() : '';
  const type = e.type ?? 'Unknown';
  const state = e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name;
  const failure =
    e.taskFailedEventDetails ??
    e.executionFailedEventDetails ??
    e.executionAbortedEventDetails ??
    e.taskTimedOutEventDetails ??
    e.executionTimedOutEventDetails ??
    e.lambdaFunctionFailedEventDetails;
  const detail = failure ? [failure.error, failure.cause].filter(Boolean).join(': ') : undefined;
  return { at, type, ...(state ? { state } : {}), ...(detail ? { detail: oneLine(detail) } : {}) };
}

function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
