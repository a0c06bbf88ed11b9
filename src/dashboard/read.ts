import { currentApprovalStage } from '../approval/service.js';
import { FINAL_STATUSES, type DeploymentRecord } from '../domain/deployment.js';
import type { DashboardDeps } from './ports.js';
import type { AppHistoryModel } from './views/app-history.js';
import type { DeploymentModel, OpenApproval } from './views/deployment.js';
import type { OverviewModel } from './views/overview.js';
import { driftViewOf } from './views/drift-mark.js';

export const HISTORY_LIMIT = 50;

/** Every app (listed, or with a deployment in progress) with its state and last deployment. */
export async function readOverview(deps: DashboardDeps): Promise<OverviewModel> {
  const [active, names] = await Promise.all([deps.history.listActive(), deps.appNames()]);
  const all = [...new Set([...names, ...active.map((r) => r.app.name)])].sort();
  const apps = await Promise.all(
    all.map(async (name) => {
      const [state, [last], drift] = await Promise.all([deps.history.getAppState(name), deps.history.listByApp(name, { limit: 1 }), deps.drift.getDrift(name)]);
      const view = driftViewOf(drift);
      return { name, state, ...(last ? { last } : {}), ...(view ? { drift: view } : {}) };
    }),
  );
  return { active, apps };
}

export async function readAppHistory(deps: DashboardDeps, name: string): Promise<AppHistoryModel> {
  const [state, deployments, drift] = await Promise.all([
    deps.history.getAppState(name),
    deps.history.listByApp(name, { limit: HISTORY_LIMIT }),
    deps.drift.getDrift(name),
  ]);
  const view = driftViewOf(drift);
  return { name, state, deployments, limit: HISTORY_LIMIT, ...(view ? { drift: view } : {}) };
}

/** The record, plus while it runs: the open approval, the live service and who the viewer is. */
export async function readDeployment(deps: DashboardDeps, id: string): Promise<DeploymentModel | undefined> {
  const record = await deps.history.getDeployment(id);
  if (!record) return undefined;
  const base = { record, logs: deps.links.logs(record), ...withExecution(deps, record) };
  if (FINAL_STATUSES.includes(record.status)) return { ...base, actor: { error: 'the deployment has ended' } };
  const [approval, live, actor] = await Promise.all([openApproval(deps, record), readLive(deps, record), whoAmI(deps)]);
  return { ...base, ...(approval ? { approval } : {}), ...live, actor };
}

function withExecution(deps: DashboardDeps, record: DeploymentRecord) {
  const execution = deps.links.execution(record);
  return execution ? { execution } : {};
}

async function openApproval(deps: DashboardDeps, record: DeploymentRecord): Promise<OpenApproval | undefined> {
  const index = currentApprovalStage(record);
  if (index === undefined || record.stages[index]?.status !== 'RUNNING') return undefined;
  const approval = await deps.history.getApproval(record.deploymentId, index);
  if (approval?.status !== 'OPEN') return undefined;
  // The task token never leaves the store's callers: the page gets everything else.
  const { taskToken: _token, ...view } = approval;
  return view;
}

async function readLive(deps: DashboardDeps, record: DeploymentRecord): Promise<Pick<DeploymentModel, 'live' | 'liveError'>> {
  if (!deps.live || !record.executionArn) return {};
  try {
    const live = await deps.live.read(record);
    return live ? { live } : {};
  } catch (err) {
    return { liveError: (err as Error).message };
  }
}

async function whoAmI(deps: DashboardDeps): Promise<DeploymentModel['actor']> {
  try {
    return { arn: await deps.callerArn() };
  } catch (err) {
    return { error: `cannot tell who you are (${(err as Error).message})` };
  }
}
