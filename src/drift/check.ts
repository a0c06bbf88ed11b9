import type { DeploymentPlan } from '../domain/plan.js';
import { mapBounded } from '../gitops/bounded.js';
import type { StepcdLogger } from '../logging.js';
import type { EcsPort, ElbPort } from '../stages/ports.js';
import { baselineFrom } from './baseline.js';
import { compareDrift, fingerprintOf } from './compare.js';
import { driftEvent, type DriftDetailType, type DriftEventPublisher } from './events.js';
import type { AppStateReader, DriftBaseline, DriftItem, DriftState, DriftStore } from './types.js';

/** Tells people about a new or resolved drift (Slack); failures are logged, never fatal. */
export interface DriftNotifier {
  driftChanged(state: DriftState): Promise<void>;
}

export interface DriftCheckDeps {
  history: AppStateReader;
  /** The plan a deployment ran (its execution input), or undefined when it is no longer retained. */
  planOf(deploymentId: string): Promise<DeploymentPlan | undefined>;
  ecs: Pick<EcsPort, 'findService' | 'listTaskSets'>;
  elb: Pick<ElbPort, 'findForwardRules'>;
  store: DriftStore;
  events: DriftEventPublisher;
  notifier: DriftNotifier;
  logger: StepcdLogger;
  now(): Date;
  /** Apps read at once (ECS and ELBv2 reads are free, but throttled per account). */
  parallelism?: number;
}

export type AppDriftResult =
  | { app: string; status: 'IN_SYNC' | 'DRIFTED'; items: DriftItem[]; deploymentId: string; announced?: DriftDetailType }
  | { app: string; status: 'SKIPPED'; reason: string };

/**
 * The scheduled drift check: every app (or the named ones) against its last successful deployment.
 * A new drift is announced once (DRIFT_DETECTED, one Slack message), a changed drift again, a cleared
 * one with DRIFT_RESOLVED; otherwise nothing is written or sent. Apps with a deployment running are
 * skipped: their task sets and weights are meant to differ then.
 */
export async function checkDrift(deps: DriftCheckDeps, apps?: readonly string[]): Promise<AppDriftResult[]> {
  const names = apps ?? (await deps.history.listApps());
  return mapBounded(names, deps.parallelism ?? 8, async (app) => {
    try {
      return await checkApp(app, deps);
    } catch (err) {
      // One app's failure must not hide the others' drift; the next run tries again.
      deps.logger.error('drift check of an app failed', { app, error: err as Error });
      return { app, status: 'SKIPPED', reason: `check failed: ${(err as Error).message}` } satisfies AppDriftResult;
    }
  });
}

async function checkApp(app: string, deps: DriftCheckDeps): Promise<AppDriftResult> {
  const appState = await deps.history.getAppState(app);
  if (!appState.lastGood) return { app, status: 'SKIPPED', reason: 'no successful deployment yet' };
  if (appState.lockHolder) return { app, status: 'SKIPPED', reason: `deployment ${appState.lockHolder} is running` };
  const previous = await deps.store.getDrift(app);
  const baseline = await baselineOf(app, appState.lastGood, previous, deps);
  if (!baseline) return { app, status: 'SKIPPED', reason: `the plan of deployment ${appState.lastGood.deploymentId} is no longer retained` };

  // A standalone task app has no service: a task that ran and stopped cannot drift.
  if (baseline.serviceName === '') return { app, status: 'SKIPPED', reason: 'a standalone task app has no service to compare' };
  const service = await deps.ecs.findService(baseline.cluster, baseline.serviceName);
  const [taskSets, rules] = await Promise.all([
    service ? deps.ecs.listTaskSets(baseline.cluster, baseline.serviceName) : Promise.resolve([]),
    baseline.targetGroups ? deps.elb.findForwardRules(baseline.targetGroups.primary, baseline.targetGroups.canary) : Promise.resolve([]),
  ]);
  const items = compareDrift(baseline, { ...(service ? { service } : {}), taskSets, rules });
  const status = items.length > 0 ? 'DRIFTED' : 'IN_SYNC';
  const fingerprint = fingerprintOf(items);
  const result = { app, status, items, deploymentId: baseline.deploymentId } as const;
  const unchanged = previous?.fingerprint === fingerprint && previous.baseline.deploymentId === baseline.deploymentId;
  if (unchanged) return result;

  const now = deps.now().toISOString();
  const state: DriftState = {
    app,
    status,
    items,
    fingerprint,
    since: previous?.status === status && status === 'IN_SYNC' ? previous.since : now,
    baseline,
  };
  if (!(await deps.store.putDrift(state, previous?.fingerprint))) return result;
  const announce = status === 'DRIFTED' || previous?.status === 'DRIFTED';
  if (!announce) return result;
  const event = driftEvent(state);
  await deps.events.publishDrift(event);
  await deps.notifier.driftChanged(state).catch((err: unknown) => deps.logger.warn('drift Slack message failed', { app, error: err as Error }));
  deps.logger.info('drift state changed', { app, status, items: items.length });
  return { ...result, announced: event.detailType };
}

/** The stored snapshot when it is of the same deployment; else read from the plan that deployment ran. */
async function baselineOf(
  app: string,
  lastGood: NonNullable<Awaited<ReturnType<AppStateReader['getAppState']>>['lastGood']>,
  previous: DriftState | undefined,
  deps: DriftCheckDeps,
): Promise<DriftBaseline | undefined> {
  if (previous?.baseline.deploymentId === lastGood.deploymentId) return previous.baseline;
  const plan = await deps.planOf(lastGood.deploymentId);
  if (!plan) {
    deps.logger.warn('no plan for the last good deployment; cannot check drift', { app, deploymentId: lastGood.deploymentId });
    return undefined;
  }
  return baselineFrom(plan, lastGood);
}
