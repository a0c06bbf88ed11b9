import type { DeploymentRecord } from '../domain/deployment.js';
import type { Target } from './context.js';
import type { WaitingOn } from './timeline.js';
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
    out.line(
      opts.app ? `no deployments of ${opts.app} on ${target.label}` : `no deployment in progress on ${target.label} (use --app <name> for an app's history)`,
    );
    return 0;
  }
  if (!opts.app) out.line(`deployments in progress on ${target.label} (use --app <name> for an app's history):`);
  for (const line of deploymentsTable(records)) out.line(line);
  return 0;
}

/** `stepcd deployments show <id>`: stage timeline, approvers and errors; for a queued one, what it waits on. */
export async function showCommand(opts: { deploymentId: string }, target: Target, out: Output): Promise<number> {
  const record = await requireDeployment(target, opts.deploymentId);
  const waitingOn = record.status === 'PENDING' ? await queuedBehind(target, record) : undefined;
  out.data(waitingOn ? { ...record, waitingOn } : record);
  for (const line of timelineLines(record, waitingOn)) out.line(line);
  return 0;
}

/** The deployment holding the app's lock, and its running stage, when `record` waits behind it. */
async function queuedBehind(target: Target, record: DeploymentRecord): Promise<WaitingOn | undefined> {
  const appState = await target.history.getAppState(record.app.name);
  const holder = appState.lockHolder;
  if (!holder || holder === record.deploymentId) return undefined;
  const running = await target.history.getDeployment(holder);
  const stage = running?.stages.find((s) => s.status === 'RUNNING');
  return {
    deploymentId: holder,
    ...(running ? { status: running.status, commit: running.commit.sha } : {}),
    ...(stage ? { stage: { index: stage.index, name: stage.name } } : {}),
    position: appState.queue.indexOf(record.deploymentId) + 1,
  };
}

export async function requireDeployment(target: Target, deploymentId: string): Promise<DeploymentRecord> {
  const record = await target.history.getDeployment(deploymentId);
  if (!record) {
    throw new CliError(`no deployment ${deploymentId} on ${target.label}`, { hint: 'list them with `stepcd deployments list --app <name>`' });
  }
  return record;
}
