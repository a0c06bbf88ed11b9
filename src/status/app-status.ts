import type { AppState, DeploymentRecord } from '../domain/deployment.js';
import type { DeploymentPlan } from '../domain/plan.js';
import { baselineFrom } from '../drift/baseline.js';
import { compareDrift } from '../drift/compare.js';
import type { DriftBaseline, DriftItem, DriftStore } from '../drift/types.js';
import type { EcsPort, ElbPort, ForwardRule, TaskSetInfo } from '../stages/ports.js';

export interface AppStatusDeps {
  history: {
    getAppState(app: string): Promise<AppState>;
    listByApp(app: string, opts?: { limit?: number }): Promise<DeploymentRecord[]>;
    getDeployment(id: string): Promise<DeploymentRecord | undefined>;
  };
  planOf(record: DeploymentRecord): Promise<DeploymentPlan | undefined>;
  ecs: Pick<EcsPort, 'findService' | 'listTaskSets'>;
  elb: Pick<ElbPort, 'findForwardRules'>;
  drift: Pick<DriftStore, 'getDrift'>;
}

export interface AppStatus {
  app: string;
  service?:
    | { cluster: string; serviceName: string; status: string; desiredCount: number; arn: string }
    | { cluster: string; serviceName: string; status: 'MISSING' };
  taskSets: Array<
    Pick<TaskSetInfo, 'id' | 'status' | 'stabilityStatus' | 'taskDefinitionArn' | 'scalePercent' | 'computedDesiredCount' | 'runningCount' | 'pendingCount'> & {
      targetGroupArn?: string;
    }
  >;
  rules: Array<Pick<ForwardRule, 'ruleArn' | 'listenerArn' | 'isDefault' | 'weights'>>;
  deployed?: { deploymentId: string; commitSha: string; taskDefinitionArn: string; at: string };
  latest?: { deploymentId: string; status: string; commitSha: string; createdAt: string };
  running?: string;
  queue: string[];
  /** Live comparison with the last good deployment now, and what the scheduled check last announced. */
  drift?: { status: 'IN_SYNC' | 'DRIFTED'; items: DriftItem[]; lastCheck?: { status: string; since: string } };
}

/**
 * Live state of one app: its service and task sets from ECS, listener weights from ELBv2, the
 * deployed commit and lock from history, and drift computed now against the last good deployment.
 * Undefined when stepcd has no record of the app.
 */
export async function readAppStatus(deps: AppStatusDeps, app: string): Promise<AppStatus | undefined> {
  const [appState, [latest], checked] = await Promise.all([deps.history.getAppState(app), deps.history.listByApp(app, { limit: 1 }), deps.drift.getDrift(app)]);
  if (!latest && !appState.lastGood) return undefined;
  const { lastGood } = appState;
  const known = await baselineFor(deps, appState, latest, checked?.baseline);
  const located = known ?? (latest?.service ? { ...latest.service, targetGroups: undefined } : undefined);
  // A standalone task app (no service name) has no service, task sets or rules to read, and nothing to drift.
  const where = located?.serviceName ? located : undefined;
  const baseline = where ? known : undefined;
  const service = where ? await deps.ecs.findService(where.cluster, where.serviceName) : undefined;
  const taskSets = where && service ? await deps.ecs.listTaskSets(where.cluster, where.serviceName) : [];
  const rules = where?.targetGroups ? await deps.elb.findForwardRules(where.targetGroups.primary, where.targetGroups.canary) : [];
  const driftNow = baseline && lastGood && !appState.lockHolder ? compareDrift(baseline, { ...(service ? { service } : {}), taskSets, rules }) : undefined;
  return {
    app,
    ...(where
      ? {
          service: service
            ? { cluster: where.cluster, serviceName: where.serviceName, status: service.status, desiredCount: service.desiredCount, arn: service.arn }
            : { cluster: where.cluster, serviceName: where.serviceName, status: 'MISSING' as const },
        }
      : {}),
    taskSets: taskSets.map((s) => ({
      id: s.id,
      status: s.status,
      stabilityStatus: s.stabilityStatus,
      taskDefinitionArn: s.taskDefinitionArn,
      scalePercent: s.scalePercent,
      computedDesiredCount: s.computedDesiredCount,
      runningCount: s.runningCount,
      pendingCount: s.pendingCount,
      ...(s.targetGroupArn ? { targetGroupArn: s.targetGroupArn } : {}),
    })),
    rules: rules.map((r) => ({ ruleArn: r.ruleArn, listenerArn: r.listenerArn, isDefault: r.isDefault, weights: r.weights })),
    ...(lastGood
      ? { deployed: { deploymentId: lastGood.deploymentId, commitSha: lastGood.commitSha, taskDefinitionArn: lastGood.taskDefinitionArn, at: lastGood.at } }
      : {}),
    ...(latest ? { latest: { deploymentId: latest.deploymentId, status: latest.status, commitSha: latest.commit.sha, createdAt: latest.createdAt } } : {}),
    ...(appState.lockHolder ? { running: appState.lockHolder } : {}),
    queue: appState.queue,
    ...(driftNow
      ? {
          drift: {
            status: driftNow.length > 0 ? ('DRIFTED' as const) : ('IN_SYNC' as const),
            items: driftNow,
            ...(checked ? { lastCheck: { status: checked.status, since: checked.since } } : {}),
          },
        }
      : {}),
  };
}

async function baselineFor(
  deps: AppStatusDeps,
  appState: AppState,
  latest: DeploymentRecord | undefined,
  stored?: DriftBaseline,
): Promise<DriftBaseline | undefined> {
  const { lastGood } = appState;
  if (!lastGood) return undefined;
  if (stored?.deploymentId === lastGood.deploymentId) return stored;
  const record = latest?.deploymentId === lastGood.deploymentId ? latest : await deps.history.getDeployment(lastGood.deploymentId);
  const plan = record ? await deps.planOf(record) : undefined;
  return plan ? baselineFrom(plan, lastGood) : undefined;
}
