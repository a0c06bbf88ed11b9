import type { DeploymentRecord } from '../domain/deployment.js';
import type { Target } from './context.js';
import { CliError } from './errors.js';
import type { Output } from './output.js';
import { deploymentsTable, timelineLines } from './timeline.js';

/**
 * `stepcd deployments list`: the history of one app newest first (`--app`), or, without it, the
 * deployments in progress across apps (the table indexes deployments by app and by "active").
 */
export async function listCommand(opts: { app?: string; limit: number }, target: Target, out: Output): Promise<number> {
  const records = opts.app ? await target.history.listByApp(opts.app, { limit: opts.limit }) : await target.history.listActive();
  out.data({ deployments: records });
  if (records.length === 0) {
    out.line(opts.app ? `no deployments of ${opts.app} on ${target.label}` : `no deployment in progress on ${target.label} (use --app <name> for an app's history)`);
    return 0;
  }
  if (!opts.app) out.line(`deployments in progress on ${target.label} (use --app <name> for an app's history):`);
  for (const line of deploymentsTable(records)) out.line(line);
  return 0;
}

/** `stepcd deployments show <id>`: stage timeline, approvers and errors. */
export async function showCommand(opts: { deploymentId: string }, target: Target, out: Output): Promise<number> {
  const record = await requireDeployment(target, opts.deploymentId);
  out.data(record);
  for (const line of timelineLines(record)) out.line(line);
  return 0;
}

export async function requireDeployment(target: Target, deploymentId: string): Promise<DeploymentRecord> {
  const record = await target.history.getDeployment(deploymentId);
  if (!record) {
    throw new CliError(`no deployment ${deploymentId} on ${target.label}`, { hint: 'list them with `stepcd deployments list --app <name>`' });
  }
  return record;
}
