import type { AppDriftResult } from '../drift/check.js';
import type { DriftState } from '../drift/types.js';
import { DynamoDriftStore } from '../aws/history/dynamo-drift.js';
import { createDocumentClient } from '../aws/dynamodb.js';
import type { Target } from './context.js';
import { CliError } from './errors.js';
import { table, type Output } from './output.js';

export interface DriftOptions {
  app?: string;
  /** Run the check before showing (the local stack's on-demand route). */
  check?: boolean;
}

/**
 * `stepcd drift [app]`: what the last scheduled check found, per app (one item per difference), and
 * since when. Exit 1 when any app shown has drifted, so a script can gate on it.
 */
export async function driftCommand(opts: DriftOptions, target: Target, out: Output): Promise<number> {
  if (opts.check) await runCheck(target, opts.app);
  const store = new DynamoDriftStore(createDocumentClient(target.clients.dynamodb), target.config.tableName);
  const states = opts.app ? [await store.getDrift(opts.app)].filter((s): s is DriftState => s !== undefined) : await store.listDrift();
  out.data({ apps: states.map(({ fingerprint: _f, ...s }) => s) });
  if (states.length === 0) {
    out.line(opts.app ? `no drift check of ${opts.app} yet on ${target.label}` : `no drift check has run yet on ${target.label}`);
    return 0;
  }
  for (const line of table(
    ['APP', 'STATUS', 'SINCE', 'DEPLOYMENT', 'DIFFERENCES'],
    states.map((s) => [s.app, s.status, s.since, s.baseline.deploymentId, String(s.items.length)]),
  )) {
    out.line(line);
  }
  for (const s of states.filter((x) => x.status === 'DRIFTED')) {
    out.line();
    out.line(out.paint('yellow', `${s.app}: ${s.baseline.serviceName} in ${s.baseline.cluster} differs from deployment ${s.baseline.deploymentId}`));
    for (const i of s.items) out.line(`  ${i.field}: expected ${i.expected}, found ${i.actual}`);
  }
  return states.some((s) => s.status === 'DRIFTED') ? 1 : 0;
}

async function runCheck(target: Target, app: string | undefined): Promise<AppDriftResult[]> {
  if (!target.local) {
    throw new CliError('--check runs the drift check on the local stack only', {
      hint: 'on AWS the drift-check function runs on its schedule; invoke it (stepcd-<stage>-drift-check) to run it now',
      exitCode: 2,
    });
  }
  const res = await fetch(`${target.local.frontUrl}/local/drift-check`, { method: 'POST', body: JSON.stringify(app ? { apps: [app] } : {}) });
  if (!res.ok) throw new CliError(`the local drift check answered HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`);
  return ((await res.json()) as { results: AppDriftResult[] }).results;
}
