import { FINAL_STATUSES, type DeploymentRecord } from '../domain/deployment.js';
import { parseDuration } from '../manifest/index.js';
import type { Target } from './context.js';
import { requireDeployment } from './deployments.js';
import { usageError } from './errors.js';
import type { CliIo, Output } from './output.js';
import { watchDeployment, type Progress } from './watch.js';

export interface WaitOptions {
  deploymentId: string;
  /** A Go-style duration (`30m`, `1h30m`); default 1h, longer than any stage's default timeout. */
  timeout?: string;
}

const DEFAULT_TIMEOUT = '1h';

/**
 * `stepcd wait <id>`: follows a deployment to its end, printing each stage change, so a CI job can
 * gate on it. Exit 0 only on SUCCESS; any other end, or the timeout, is 1.
 */
export async function waitCommand(opts: WaitOptions, target: Target, out: Output, io: CliIo): Promise<number> {
  const timeout = parseDuration(opts.timeout ?? DEFAULT_TIMEOUT);
  if (!timeout.ok || timeout.value <= 0) throw usageError(`--timeout ${timeout.ok ? 'must be more than 0' : timeout.reason}`);
  const first = await requireDeployment(target, opts.deploymentId);
  const signals = [AbortSignal.timeout(timeout.value * 1000), ...(io.signal ? [io.signal] : [])];
  const signal = AbortSignal.any(signals);
  out.line(`waiting for ${first.deploymentId} (${first.app.name} @ ${first.commit.sha.slice(0, 7)}) on ${target.label}`);
  const last = await watchDeployment(target.history, opts.deploymentId, {
    // A person-visible poll: fast on the local stack, gentle on DynamoDB in AWS.
    intervalMs: target.local ? 100 : 2000,
    signal,
    onProgress(change) {
      out.line(`  ${progressText(change)}`);
    },
  });
  const record: DeploymentRecord = last ?? first;
  const finished = FINAL_STATUSES.includes(record.status);
  const ok = record.status === 'SUCCESS';
  out.data({ deploymentId: record.deploymentId, status: record.status, finished, ok, ...(finished ? {} : { timedOut: !io.signal?.aborted }) });
  if (!finished) {
    out.line(out.paint('red', `${record.deploymentId} is still ${record.status} after ${opts.timeout ?? DEFAULT_TIMEOUT}`));
    return 1;
  }
  out.line(out.paint(ok ? 'green' : 'red', `${record.deploymentId} ended ${record.status}`));
  return ok ? 0 : 1;
}

function progressText(change: Progress): string {
  if (change.kind === 'status') return `status ${change.status}`;
  return `stage ${change.index} ${change.name} ${change.status}${change.detail ? `: ${change.detail}` : ''}`;
}
