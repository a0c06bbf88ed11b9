import { setTimeout as sleep } from 'node:timers/promises';
import { FINAL_STATUSES, type DeploymentRecord } from '../domain/deployment.js';
import type { DeploymentStore } from '../history/deployment-store.js';

/** A change worth a progress line: the deployment's status or one stage's status moved. */
export type Progress =
  | { kind: 'status'; record: DeploymentRecord; status: DeploymentRecord['status'] }
  | { kind: 'stage'; record: DeploymentRecord; index: number; name: string; status: string; detail?: string };

/**
 * Pure: what changed between two reads of a record, in the order a reader expects (stages before
 * the overall status, so "ECS_CANARY_CLEAN SUCCESS" comes before "SUCCESS").
 */
export function progressBetween(previous: DeploymentRecord | undefined, current: DeploymentRecord): Progress[] {
  const changes: Progress[] = [];
  for (const stage of current.stages) {
    const before = previous?.stages.find((s) => s.index === stage.index);
    if (stage.status !== (before?.status ?? 'NOT_STARTED')) {
      changes.push({
        kind: 'stage',
        record: current,
        index: stage.index,
        name: stage.name,
        status: stage.status,
        ...(stage.detail ? { detail: stage.detail } : {}),
      });
    }
  }
  if (current.status !== previous?.status) changes.push({ kind: 'status', record: current, status: current.status });
  return changes;
}

export interface WatchOptions {
  /** Real ms between reads of the record. */
  intervalMs?: number;
  signal?: AbortSignal;
  /** Return true to stop watching early (the demo stops at WAITING_APPROVAL to ask). */
  onProgress(change: Progress): boolean | void | Promise<boolean | void>;
}

/**
 * Follows a deployment through the history table until it is final (or `onProgress` says stop).
 * Polling the record works the same against AWS and the local cloud.
 */
export async function watchDeployment(
  history: Pick<DeploymentStore, 'getDeployment'>,
  deploymentId: string,
  opts: WatchOptions,
  from?: DeploymentRecord,
): Promise<DeploymentRecord | undefined> {
  let previous = from;
  for (;;) {
    if (opts.signal?.aborted) return previous;
    const current = await history.getDeployment(deploymentId);
    if (current) {
      for (const change of progressBetween(previous, current)) {
        if ((await opts.onProgress(change)) === true) return current;
      }
      previous = current;
      if (FINAL_STATUSES.includes(current.status)) return current;
    }
    await sleep(opts.intervalMs ?? 50, undefined, opts.signal ? { signal: opts.signal } : {}).catch(() => undefined);
  }
}
