import { emptyDeploymentState, FINAL_STATUSES } from '../domain/deployment.js';
import type { DeploymentPlan } from '../domain/plan.js';
import { newDeploymentRecord } from '../history/records.js';
import { announce, notifySettings, reload } from './announce.js';
import type { OrchestratorDeps } from './deps.js';
import type { ExecutionData } from './execution-data.js';
import { advanceAndRoute } from './route.js';
import { handOffAfterEnd, nudgeQueued, queueBackstopSeconds } from './hand-off.js';
import { contendersAgainst, contendersOf, findSupersession, pushedAtOf, supersededReason, type Supersession } from './supersede.js';

/**
 * Begin: take the per-app lock, or queue behind the deployment holding it (the ASL's Queued state then
 * waits on a task token until a hand-off resumes it). Before either, and again each time it is
 * resumed, the commit is checked against the app's deployed, running and queued
 * commits by Git ancestry: an older one ends SUPERSEDED, naming the newer commit (never an older
 * commit over a newer one, whatever order GitHub delivered the pushes in). Nothing here touches ECS,
 * so a SUPERSEDED or CLOSED end needs no rollback.
 */
export async function begin(input: { plan: DeploymentPlan } & Partial<ExecutionData>, deps: OrchestratorDeps, executionArn?: string): Promise<ExecutionData> {
  const { plan } = input;
  const { history } = deps;
  const id = plan.deploymentId;
  const app = plan.app.name;
  const now = deps.wallNow().toISOString();
  const base: ExecutionData = {
    plan,
    state: input.state ?? emptyDeploymentState(),
    cursor: { index: -1 },
    ...(executionArn ? { executionArn } : {}),
  };

  let record = await history.getDeployment(id);
  if (!record) {
    // Started by hand (CLI, console) rather than by the webhook, which writes PENDING first.
    await history.createDeployment(newDeploymentRecord(plan, now));
    record = await reload(deps, plan);
  }
  if (executionArn && record.executionArn !== executionArn) await history.setExecution(id, executionArn);
  if (FINAL_STATUSES.includes(record.status)) return { ...base, lock: 'CLOSED' };
  if (record.cancelRequested) {
    await history.dequeue(app, id);
    await history.setStatus(id, 'CANCELLED', { reason: 'cancelled while queued; nothing was deployed', at: now });
    await announce(deps, await reload(deps, plan), 'DEPLOYMENT_CANCELLED', { reason: 'cancelled while queued' });
    // It may have been woken as the next in line: the lock passes to the one after it.
    await handOffAfterEnd(deps, app);
    return { ...base, lock: 'CLOSED' };
  }

  const self = { deploymentId: id, sha: plan.commit.sha, pushedAt: pushedAtOf(record), createdAt: record.createdAt };
  const appState = await history.getAppState(app);
  const queued = appState.queue.includes(id);
  const newer = await findSupersession(self, contendersAgainst(record, await contendersOf(appState, id, history)), deps.ancestry);
  if (newer) return supersede(deps, plan, base, newer, now);
  // A newcomer joins the back of a non-empty queue even when the lock is free for a moment: taking
  // it would let the older queued commits deploy after this newer one.
  const waiting: ExecutionData = { ...base, lock: 'QUEUED', queue: { backstopSeconds: queueBackstopSeconds(deps) } };
  if (!queued && appState.queue.length > 0) {
    await history.enqueue(app, id);
    // The ones queued before it may be older commits: they re-check now and end SUPERSEDED if so.
    await nudgeQueued(deps, app, id);
    return waiting;
  }

  // A backstop check while queued writes nothing, not even a conditional write bound to fail: a live
  // holder is seen in the app state just read, and the queue entry is already there.
  const holder = appState.lockHolder;
  const blocked = holder !== undefined && holder !== id && !(await releaseIfStale(deps, app, holder));
  if (blocked || !(await history.tryLock(app, id))) {
    if (!queued) await history.enqueue(app, id);
    return waiting;
  }
  // The lock was free: a newer commit may have been deployed between the read above and the lock.
  const after = await history.getAppState(app);
  if (after.lastGood?.deploymentId !== appState.lastGood?.deploymentId) {
    const late = await findSupersession(self, await contendersOf(after, id, history), deps.ancestry);
    if (late) {
      await history.releaseLock(app, id);
      return supersede(deps, plan, base, late, now);
    }
  }
  if (queued) await history.dequeue(app, id);

  if (record.status !== 'RUNNING') {
    await history.setStatus(id, 'RUNNING', { at: now });
    const running = await reload(deps, plan);
    await announce(deps, running, 'DEPLOYMENT_STARTED');
    await deps.notifier.deploymentStarted(running, notifySettings(plan));
  }
  const lastGood = appState.lastGood;
  // spec.timeout counts from here, not from planning: time spent queued is not the deployment's.
  const lockedAt = deps.now().toISOString();
  // Opens the first stage here, so the state machine goes straight from Begin to it.
  return advanceAndRoute({ ...base, state: record.state ?? base.state, ...(lastGood ? { lastGood } : {}), lock: 'ACQUIRED', lockedAt }, deps);
}

async function supersede(deps: OrchestratorDeps, plan: DeploymentPlan, base: ExecutionData, newer: Supersession, at: string): Promise<ExecutionData> {
  const id = plan.deploymentId;
  await deps.history.dequeue(plan.app.name, id);
  const reason = supersededReason(plan.app.name, newer);
  await deps.history.setStatus(id, 'SUPERSEDED', { reason, at });
  deps.logger.info('superseded by a newer commit; nothing deployed', { newer: newer.by.deploymentId, sha: newer.by.sha, diverged: newer.diverged });
  await announce(deps, await reload(deps, plan), 'DEPLOYMENT_CANCELLED', { reason });
  // Woken as the next in line (or holding the lock a moment): the lock passes to the one after it.
  await handOffAfterEnd(deps, plan.app.name);
  return { ...base, lock: 'SUPERSEDED' };
}

/**
 * A lock whose holder has already ended (a crash before the finaliser ran, say) would block the app
 * forever; a lock held by a live deployment is left alone. Returns whether it was released.
 */
async function releaseIfStale(deps: OrchestratorDeps, app: string, holder: string): Promise<boolean> {
  const holderRecord = await deps.history.getDeployment(holder);
  if (holderRecord && !FINAL_STATUSES.includes(holderRecord.status)) return false;
  deps.logger.warn('releasing a stale lock', { app, holder });
  await deps.history.releaseLock(app, holder);
  return true;
}
