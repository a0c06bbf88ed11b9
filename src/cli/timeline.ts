import type { DeploymentRecord } from '../domain/deployment.js';
import { formatDuration, table } from './output.js';

/**
 * Pure renderings of history records for `deployments list/show` and the demo. Times are those the
 * record holds (the local cloud's clock when local), so elapsed times are what the pipeline saw.
 */
export function deploymentsTable(records: DeploymentRecord[]): string[] {
  return table(
    ['DEPLOYMENT', 'APP', 'COMMIT', 'STRATEGY', 'STATUS', 'CREATED', 'TOOK'],
    records.map((r) => [r.deploymentId, r.app.name, r.commit.sha.slice(0, 7), r.strategy, r.status, r.createdAt, took(r) ?? '-']),
  );
}

/** What a queued deployment waits on: the lock holder and its running stage. */
export interface WaitingOn {
  deploymentId: string;
  status?: string;
  commit?: string;
  stage?: { index: number; name: string };
  /** 1-based place in the app's queue; 0 when not (yet) in it. */
  position: number;
}

export function timelineLines(record: DeploymentRecord, waitingOn?: WaitingOn): string[] {
  const lines = [
    `deployment ${record.deploymentId}`,
    `  app       ${record.app.name}${labels(record.app.labels)}`,
    `  commit    ${record.commit.sha.slice(0, 7)} ${JSON.stringify(record.commit.message)} by ${record.commit.author}`,
    `  status    ${record.status}${record.reason ? `: ${record.reason}` : ''}`,
    `  strategy  ${record.strategy}`,
    `  created   ${record.createdAt}${took(record) ? ` (took ${took(record)})` : ''}`,
  ];
  const { trigger } = record;
  if (trigger.kind === 'sync' || trigger.kind === 'rollback') {
    // Who started a deliberate redeploy by hand, and what a rollback went back to.
    const back = trigger.rollbackOf ? `, back to deployment ${trigger.rollbackOf}` : '';
    lines.push(`  trigger   ${trigger.kind}${trigger.actor ? ` by ${trigger.actor}` : ''}${back}`);
  }
  if (record.executionArn) lines.push(`  execution ${record.executionArn}`);
  if (record.cancelRequested) lines.push(`  cancel    requested${record.cancelRequestedBy ? ` by ${record.cancelRequestedBy}` : ''}`);
  if (waitingOn) {
    const stage = waitingOn.stage ? `, in stage ${waitingOn.stage.index} ${waitingOn.stage.name}` : '';
    const commit = waitingOn.commit ? ` (commit ${waitingOn.commit.slice(0, 7)})` : '';
    const place = waitingOn.position > 0 ? `; place ${waitingOn.position} in the queue` : '';
    lines.push(`  queued    behind deployment ${waitingOn.deploymentId}${commit}, ${waitingOn.status ?? 'running'}${stage}${place}`);
  }
  lines.push('', 'stages:');
  lines.push(
    ...table(
      ['#', 'STAGE', 'STATUS', 'STARTED', 'TOOK', 'DETAIL'],
      record.stages.map((s) => [
        String(s.index),
        s.name,
        s.status,
        s.startedAt ?? '-',
        s.startedAt && s.endedAt ? formatDuration(Date.parse(s.endedAt) - Date.parse(s.startedAt)) : '-',
        s.detail ?? '',
      ]),
    ).map((l) => `  ${l}`),
  );
  if (record.approvals.length > 0) {
    lines.push('', 'approvals:');
    for (const v of record.approvals) {
      lines.push(`  ${v.decision === 'APPROVE' ? 'approved' : 'rejected'} by ${v.user}${v.as ? ` (as ${v.as})` : ''} via ${v.via} at ${v.at}`);
    }
  }
  if (record.errors.length > 0) {
    lines.push('', 'errors:');
    for (const e of record.errors) lines.push(`  ${e.at}${e.stage ? ` [${e.stage}]` : ''} ${e.error}: ${e.cause}`);
  }
  return lines;
}

function took(r: DeploymentRecord): string | undefined {
  return r.endedAt ? formatDuration(Date.parse(r.endedAt) - Date.parse(r.createdAt)) : undefined;
}

function labels(l: Record<string, string>): string {
  const pairs = Object.entries(l).map(([k, v]) => `${k}=${v}`);
  return pairs.length > 0 ? ` (${pairs.join(', ')})` : '';
}
