import type { DeploymentRecord } from '../domain/deployment.js';
import type { EventPublisher } from '../domain/events.js';
import type { AppRef, DeploymentPlan, TriggerRef } from '../domain/plan.js';
import type { WorkflowPort } from '../domain/workflow.js';
import { formatIssue, type ManifestIssue } from '../errors.js';
import { newDeploymentRecord, triggerFailedRecord } from '../history/records.js';
import { statusEvent } from '../notify/events.js';
import type { HistoryStore } from '../history/store.js';
import { loggerFor, type StepcdLogger } from '../logging.js';
import { affectedApps, appDirOf, findAppConfigs, readAppTrigger } from './affected-apps.js';
import { mapBounded } from './bounded.js';
import { filesAt, type FilesAtCommit, type ManifestSource } from './manifest-source.js';
import type { PushEvent } from './push-event.js';

/** Validates and plans one app at the pushed commit (src/manifest + src/plan, see app-planner.ts). */
export interface AppPlanner {
  /** Must equal the id buildPlan gives the plan: both key on the config path (see src/plan/ids.ts). */
  deploymentIdFor(ref: { repo: string; configPath: string; sha: string }): string;
  plan(request: { configPath: string; files: FilesAtCommit; push: PushEvent; trigger: TriggerRef; now: Date }): Promise<PlanOutcome>;
}

export type PlanOutcome = { ok: true; plan: DeploymentPlan } | { ok: false; app: AppRef; issues: ManifestIssue[] };

/** Hands apps that do not fit in this invocation to another one, so that none is dropped. */
export interface Deferrer {
  defer(push: PushEvent, configPaths: string[]): Promise<void>;
}

export interface TriggerLimits {
  /** Apps worked on at once. */
  parallelism: number;
  /** Apps started inline; the rest are deferred. */
  maxInlineApps: number;
  /** Past this many ms since the start, remaining apps are deferred (GitHub gives up after 10 s). */
  inlineBudgetMs: number;
}

export const DEFAULT_TRIGGER_LIMITS: TriggerLimits = { parallelism: 8, maxInlineApps: 50, inlineBudgetMs: 6_000 };

export interface TriggerDeps {
  source: ManifestSource;
  planner: AppPlanner;
  history: HistoryStore;
  workflow: WorkflowPort;
  events: EventPublisher;
  deferrer: Deferrer;
  logger: StepcdLogger;
  now: () => Date;
  limits?: Partial<TriggerLimits>;
}

export type AppTriggerStatus = 'STARTED' | 'TRIGGER_FAILED' | 'DUPLICATE' | 'DEFERRED' | 'ERROR';

export interface AppTriggerResult {
  app: string;
  configPath: string;
  deploymentId: string;
  status: AppTriggerStatus;
  executionArn?: string;
  /** `file: field message` for TRIGGER_FAILED; the error for ERROR. */
  errors?: string[];
  /** Only for ERROR: whether a redelivery may succeed (then the webhook answers 5xx). */
  retryable?: boolean;
}

export interface TriggerOutcome {
  results: AppTriggerResult[];
  /** Apps whose config this push removed: never deployed, only reported. */
  deletedApps: string[];
}

/**
 * The GitOps use case: one pushed commit → the apps it affects → one deployment each. Every step is
 * idempotent (deterministic deployment ids, conditional record creation, deterministic execution
 * names), so a redelivered or re-invoked push starts nothing twice and resumes what a crash left.
 *
 * `only` restricts the run to the given app config paths: the continuation of a deferred push.
 */
export async function triggerDeployments(push: PushEvent, deps: TriggerDeps, only?: string[]): Promise<TriggerOutcome> {
  const limits = { ...DEFAULT_TRIGGER_LIMITS, ...deps.limits };
  const startedAt = deps.now().getTime();
  const files = filesAt(deps.source, push.after);

  const { configPaths, deletedApps } = only ? { configPaths: only, deletedApps: [] } : await findAffected(push, files, deps, limits);
  for (const dir of deletedApps) deps.logger.info('app directory deleted by this push; not deploying it', { app: dir, sha: push.after });

  const trigger: TriggerRef = { kind: 'push', ...(push.delivery ? { delivery: push.delivery } : {}), ...(push.actor ? { actor: push.actor } : {}) };
  const deferred: string[] = [];
  const results = await mapBounded(configPaths, limits.parallelism, async (configPath, index) => {
    const appDir = appDirOf(configPath);
    const deploymentId = deps.planner.deploymentIdFor({ repo: push.repo, configPath, sha: push.after });
    const overBudget = index >= limits.maxInlineApps || deps.now().getTime() - startedAt > limits.inlineBudgetMs;
    if (overBudget) {
      deferred.push(configPath);
      return { app: appDir, configPath, deploymentId, status: 'DEFERRED' } satisfies AppTriggerResult;
    }
    return triggerApp({ configPath, deploymentId, push, trigger, files }, deps);
  });

  if (deferred.length > 0) {
    deps.logger.info('deferring apps beyond the inline budget', { count: deferred.length, sha: push.after });
    await deps.deferrer.defer(push, deferred.sort());
  }
  return { results, deletedApps };
}

async function findAffected(
  push: PushEvent,
  files: FilesAtCommit,
  deps: TriggerDeps,
  limits: TriggerLimits,
): Promise<{ configPaths: string[]; deletedApps: string[] }> {
  const [tree, changed] = await Promise.all([
    deps.source.listFiles(push.after),
    push.payloadPaths ? Promise.resolve(push.payloadPaths) : deps.source.changedPaths(push.before, push.after),
  ]);
  const configs = findAppConfigs(tree);
  // Every config is read, because trigger paths may point outside the app's own directory.
  const triggers = await mapBounded(configs, limits.parallelism * 2, async (path) => readAppTrigger(path, await files.read(path)));
  const { affected, deleted } = affectedApps(triggers, changed, new Set(tree));
  return { configPaths: affected.map((a) => a.configPath), deletedApps: deleted.map((d) => d.dir) };
}

interface AppRequest {
  configPath: string;
  deploymentId: string;
  push: PushEvent;
  trigger: TriggerRef;
  files: FilesAtCommit;
}

/** One app: validate and plan; record; emit; start. Errors become an ERROR result, never a throw. */
async function triggerApp(req: AppRequest, deps: TriggerDeps): Promise<AppTriggerResult> {
  const { configPath, deploymentId } = req;
  const base = { app: appDirOf(configPath), configPath, deploymentId };
  const log = loggerFor(deps.logger, { deploymentId, app: base.app });
  try {
    const existing = await deps.history.getDeployment(deploymentId);
    if (existing && !isUnstarted(existing)) return duplicate(base, existing);

    const outcome = await deps.planner.plan({ configPath, files: req.files, push: req.push, trigger: req.trigger, now: deps.now() });
    if (!outcome.ok) {
      const record = triggerFailedRecord({
        deploymentId,
        app: outcome.app,
        commit: req.push.commit,
        trigger: req.trigger,
        issues: outcome.issues,
        now: deps.now(),
      });
      if (!(await deps.history.createDeployment(record))) return duplicate(base, await deps.history.getDeployment(deploymentId));
      await deps.events.publish(statusEvent(record, { status: record.status, ...(record.reason ? { reason: record.reason } : {}), now: record.createdAt }));
      log.warn('manifest invalid; no execution started', { reason: record.reason });
      const errors = outcome.issues.filter((i) => i.severity === 'error').map(formatIssue);
      return { ...base, app: outcome.app.name, status: 'TRIGGER_FAILED', errors };
    }

    const { plan } = outcome;
    if (!existing) {
      const record = newDeploymentRecord(plan, deps.now());
      if (await deps.history.createDeployment(record)) {
        await deps.events.publish(statusEvent(record, { status: record.status, now: record.createdAt }));
      } else {
        // A concurrent delivery of the same push created it first: start only if it has not.
        const raced = await deps.history.getDeployment(deploymentId);
        if (raced && !isUnstarted(raced)) return duplicate(base, raced);
      }
    } else {
      log.info('resuming a deployment recorded but never started');
    }
    // Idempotent by name while the execution runs, so a resumed start cannot make a second one.
    const { executionArn } = await deps.workflow.startExecution(plan.executionName, plan);
    await deps.history.setExecution(deploymentId, executionArn);
    loggerFor(log, { executionArn }).info('deployment started', { strategy: plan.strategy, stages: plan.stages.length });
    return { ...base, app: plan.app.name, status: 'STARTED', executionArn };
  } catch (err) {
    const retryable = (err as { retryable?: boolean }).retryable !== false;
    log.error('triggering the app failed', { error: err as Error, retryable });
    return { ...base, status: 'ERROR', errors: [(err as Error).message], retryable };
  }
}

/** PENDING without an execution: a previous attempt crashed between the record and StartExecution. */
function isUnstarted(record: DeploymentRecord): boolean {
  return record.status === 'PENDING' && !record.executionArn;
}

function duplicate(base: { app: string; configPath: string; deploymentId: string }, record: DeploymentRecord | undefined): AppTriggerResult {
  return {
    ...base,
    app: record?.app.name ?? base.app,
    status: 'DUPLICATE',
    ...(record?.executionArn ? { executionArn: record.executionArn } : {}),
  };
}
