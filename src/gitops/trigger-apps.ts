import type { DeploymentRecord } from '../domain/deployment.js';
import type { DeploymentEvent } from '../domain/events.js';
import type { AppRef, DeploymentPlan, TriggerRef } from '../domain/plan.js';
import { newDeploymentRecord, triggerFailedRecord } from '../history/records.js';
import { formatIssue, type ManifestIssue } from '../manifest/issues.js';
import { statusEvent } from '../notify/events.js';
import { loggerFor } from '../logging.js';
import { appDirOf } from './affected-apps.js';
import { mapBounded } from './bounded.js';
import { chunksOf } from './deferrers.js';
import type { FilesAtCommit } from './manifest-source.js';
import type { PushEvent } from './push-event.js';
import type { AppTriggerResult, PlanOutcome, RepositoryApps, TriggerDeps } from './trigger.js';

export interface AppRequest {
  configPath: string;
  deploymentId: string;
  push: PushEvent;
  trigger: TriggerRef;
  files: FilesAtCommit;
  repository: RepositoryApps;
}

type Base = { app: string; configPath: string; deploymentId: string };

/** An app past planning and recording: what is left to do for it once the events are out. */
type Recorded =
  | { kind: 'done'; result: AppTriggerResult }
  | { kind: 'start'; plan: DeploymentPlan; event?: DeploymentEvent }
  | { kind: 'refused'; result: AppTriggerResult; event: DeploymentEvent };

/**
 * The apps a run starts inline, in waves of `waveApps` (as many at once as `parallelism` covers).
 * What earlier deliveries recorded is read first for all of them, a hundred ids to a BatchGetItem.
 * A wave that would begin past the inline budget is not begun: its apps come back DEFERRED.
 */
export async function triggerApps(
  requests: readonly AppRequest[],
  deps: TriggerDeps,
  opts: { waveApps: number; parallelism: number; overBudget: () => boolean },
): Promise<AppTriggerResult[]> {
  if (requests.length === 0) return [];
  let existing: Map<string, DeploymentRecord>;
  try {
    existing = await deps.history.getDeployments(requests.map((r) => r.deploymentId));
  } catch (err) {
    return Promise.all(requests.map((r) => failed(r, baseOf(r), err, deps)));
  }
  const waves = chunksOf(requests, opts.waveApps);
  const done = await mapBounded(waves, Math.max(1, Math.ceil(opts.parallelism / opts.waveApps)), (wave) =>
    opts.overBudget() ? Promise.resolve(wave.map((r): AppTriggerResult => ({ ...baseOf(r), status: 'DEFERRED' }))) : triggerWave(wave, existing, deps),
  );
  return done.flat();
}

/**
 * One wave of apps of a push, each through the same steps as one app alone (validate and plan;
 * record; emit; start), but with the calls that AWS batches made once for the wave: the services
 * are looked up ten to a DescribeServices (the planner), and the events go ten to a PutEvents.
 * `existing` holds what earlier deliveries recorded (read by the caller, a hundred to a
 * BatchGetItem). Every step stays idempotent and in order per app: its record before its event,
 * its event before its execution. One app's failure is its own result, never the wave's.
 */
async function triggerWave(requests: readonly AppRequest[], existing: ReadonlyMap<string, DeploymentRecord>, deps: TriggerDeps): Promise<AppTriggerResult[]> {
  const toPlan = requests.filter((r) => {
    const record = existing.get(r.deploymentId);
    return !record || isUnstarted(record);
  });
  const planned = new Map<AppRequest, PromiseSettledResult<PlanOutcome>>();
  const outcomes = await deps.planner.planMany(
    toPlan.map((r) => ({ configPath: r.configPath, files: r.files, push: r.push, trigger: r.trigger, now: deps.now(), repository: r.repository })),
    { parallelism: toPlan.length },
  );
  toPlan.forEach((r, i) => planned.set(r, outcomes[i]!));

  const recorded = await Promise.all(
    requests.map(async (req): Promise<Recorded> => {
      const base = baseOf(req);
      const record = existing.get(req.deploymentId);
      const outcome = planned.get(req);
      if (!outcome) return { kind: 'done', result: duplicate(base, record) };
      try {
        if (outcome.status === 'rejected') throw outcome.reason;
        return await recordOutcome(req, base, outcome.value, record, deps);
      } catch (err) {
        return { kind: 'done', result: await failed(req, base, err, deps) };
      }
    }),
  );

  const events = recorded.flatMap((r) => (r.kind !== 'done' && r.event ? [r.event] : []));
  const published = new Map<DeploymentEvent, Error | undefined>();
  const answers = events.length > 0 ? await deps.events.publishEach(events) : [];
  events.forEach((event, i) => published.set(event, answers[i]));

  return mapBounded(recorded, requests.length, async (r, i) => {
    const req = requests[i]!;
    const base = baseOf(req);
    const publishError = r.kind !== 'done' && r.event ? published.get(r.event) : undefined;
    if (publishError) return failed(req, base, publishError, deps);
    if (r.kind !== 'start') return r.result;
    try {
      // The name is the deployment's, so this never makes a second execution: an execution already
      // started (running or ended, with this input or a re-planned one) is the answer. Begin, the
      // execution's first step, records its ARN, so a push spends no write per app on it.
      const { executionArn } = await deps.workflow.startExecution(r.plan.executionName, r.plan);
      deps.logger.info('deployment started', {
        deploymentId: req.deploymentId,
        app: r.plan.app.name,
        executionArn,
        strategy: r.plan.strategy,
        stages: r.plan.stages.length,
      });
      return { ...base, app: r.plan.app.name, status: 'STARTED', executionArn } satisfies AppTriggerResult;
    } catch (err) {
      return failed(req, base, err, deps);
    }
  });
}

/** The record for a planned app (PENDING, or TRIGGER_FAILED for a refused manifest) and its event. */
async function recordOutcome(req: AppRequest, base: Base, outcome: PlanOutcome, existing: DeploymentRecord | undefined, deps: TriggerDeps): Promise<Recorded> {
  const { deploymentId } = req;
  if (!outcome.ok) {
    const record = triggerFailedRecord({
      deploymentId,
      app: outcome.app,
      commit: req.push.commit,
      trigger: req.trigger,
      issues: outcome.issues,
      now: deps.wallNow(),
    });
    if (!(await deps.history.createDeployment(record))) return { kind: 'done', result: duplicate(base, await deps.history.getDeployment(deploymentId)) };
    deps.logger.warn('manifest invalid; no execution started', { deploymentId, app: base.app, reason: record.reason });
    const errors = outcome.issues.filter((i) => i.severity === 'error').map(formatIssue);
    return { kind: 'refused', event: failedEvent(record), result: { ...base, app: outcome.app.name, status: 'TRIGGER_FAILED', errors } };
  }
  const { plan } = outcome;
  if (existing) {
    deps.logger.info('starting a deployment recorded earlier (its execution, if it already exists, is the answer)', { deploymentId, app: base.app });
    return { kind: 'start', plan };
  }
  const record = newDeploymentRecord(plan, deps.wallNow());
  if (await deps.history.createDeployment(record)) return { kind: 'start', plan, event: statusEvent(record, { status: record.status, now: record.createdAt }) };
  // A concurrent delivery of the same push created it first: start only if it has not.
  const raced = await deps.history.getDeployment(deploymentId);
  if (raced && !isUnstarted(raced)) return { kind: 'done', result: duplicate(base, raced) };
  return { kind: 'start', plan };
}

/**
 * An app whose step threw: a retryable error is an ERROR result (the webhook answers 5xx and GitHub
 * redelivers); any other ends in a TRIGGER_FAILED record and event, never in silence.
 */
async function failed(req: AppRequest, base: Base, err: unknown, deps: TriggerDeps): Promise<AppTriggerResult> {
  const log = loggerFor(deps.logger, { deploymentId: base.deploymentId, app: base.app });
  const retryable = (err as { retryable?: boolean }).retryable !== false;
  log.error('triggering the app failed', { error: err as Error, retryable });
  if (retryable) return { ...base, status: 'ERROR', errors: [(err as Error).message], retryable };
  return recordTriggerFailure(req, base, (err as Error).message, deps).catch((recordErr: unknown) => {
    log.error('recording the trigger failure failed', { error: recordErr as Error });
    return { ...base, status: 'ERROR', errors: [(err as Error).message], retryable: true } satisfies AppTriggerResult;
  });
}

/** TRIGGER_FAILED for an app whose planning failed for good (not a manifest issue): record, event. */
async function recordTriggerFailure(req: AppRequest, base: Base, message: string, deps: TriggerDeps): Promise<AppTriggerResult> {
  const app: AppRef = { name: base.app || req.push.repo, dir: base.app, labels: {}, repo: req.push.repo };
  const issues: ManifestIssue[] = [{ file: req.configPath, path: '', message: `planning failed: ${message}`, severity: 'error' }];
  const record = triggerFailedRecord({ deploymentId: base.deploymentId, app, commit: req.push.commit, trigger: req.trigger, issues, now: deps.wallNow() });
  if (!(await deps.history.createDeployment(record))) return duplicate(base, await deps.history.getDeployment(base.deploymentId));
  await deps.events.publish(failedEvent(record));
  return { ...base, status: 'TRIGGER_FAILED', errors: [record.reason ?? message] };
}

function failedEvent(record: DeploymentRecord): DeploymentEvent {
  return statusEvent(record, { status: record.status, ...(record.reason ? { reason: record.reason } : {}), now: record.createdAt });
}

function baseOf(req: AppRequest): Base {
  return { app: appDirOf(req.configPath), configPath: req.configPath, deploymentId: req.deploymentId };
}

/**
 * PENDING without an execution: a previous attempt crashed between the record and StartExecution,
 * or started it and Begin has not recorded it yet. Either way the caller starts it by its name,
 * which finds the execution in the second case.
 */
export function isUnstarted(record: DeploymentRecord): boolean {
  return record.status === 'PENDING' && !record.executionArn;
}

function duplicate(base: Base, record: DeploymentRecord | undefined): AppTriggerResult {
  return {
    ...base,
    app: record?.app.name ?? base.app,
    status: 'DUPLICATE',
    ...(record?.executionArn ? { executionArn: record.executionArn } : {}),
  };
}
