import type { BatchEventPublisher } from '../domain/events.js';
import type { AppRef, DeploymentPlan, TriggerRef } from '../domain/plan.js';
import type { TriggerSettings } from '../domain/trigger-settings.js';
import type { WorkflowPort } from '../domain/workflow.js';
import { NotFoundError } from '../errors.js';
import type { ManifestIssue } from '../manifest/issues.js';
import { triggerFailedRecord } from '../history/records.js';
import { statusEvent } from '../notify/events.js';
import type { DeploymentStore } from '../history/deployment-store.js';
import type { StepcdLogger } from '../logging.js';
import { RefusedFileError } from '../manifest/refusal.js';
import { affectedApps, appDirOf, appTriggerOf, type AppTrigger } from './affected-apps.js';
import { mapBounded } from './bounded.js';
import { findAppConfigFiles, splitByCache } from './config-analysis.js';
import { type FileTextCache, filesAt, type FilesAtCommit, type ManifestSource } from './manifest-source.js';
import type { PushEvent } from './push-event.js';
import { containerTriggerCache, type TriggerSettingsCache } from './trigger-cache.js';
import { parseTriggerSettings } from './trigger-settings.js';
import { triggerApps } from './trigger-apps.js';

/** What planning one app at the pushed commit takes. */
export interface PlanRequest {
  configPath: string;
  files: FilesAtCommit;
  push: PushEvent;
  trigger: TriggerRef;
  now: Date;
  repository?: RepositoryApps;
  /** Set for a deliberate redeploy of a commit (stepcd sync): a new deployment id, see deploymentIdFor. */
  salt?: string;
}

/** Validates and plans apps at the pushed commit (src/manifest + src/plan, see app-planner.ts). */
export interface AppPlanner {
  /** Must equal the id buildPlan gives the plan: both key on the config path (see src/plan/ids.ts). */
  deploymentIdFor(ref: { repo: string; configPath: string; sha: string }): string;
  plan(request: PlanRequest): Promise<PlanOutcome>;
  /** Many apps at once (their ECS lookups batched), one settled result per request, in order. */
  planMany(requests: readonly PlanRequest[], opts?: { parallelism?: number }): Promise<PromiseSettledResult<PlanOutcome>[]>;
}

/** Every app of the repository at the pushed commit (as the trigger analysis read them) and those this run plans. */
export interface RepositoryApps {
  apps: readonly AppTrigger[];
  planned: readonly string[];
}

export type PlanOutcome = { ok: true; plan: DeploymentPlan } | { ok: false; app: AppRef; issues: ManifestIssue[] };

/** A continuation's whole push, its analysis included (the analysis did not fit in the response). */
export const WHOLE_PUSH = 'whole-push';

/** What one run works on: every app the push affects, or only the named app configs. */
export type TriggerScope = readonly string[] | typeof WHOLE_PUSH;

/** Hands work that does not fit in this invocation to another one, so that nothing is dropped. */
export interface Deferrer {
  defer(push: PushEvent, scope: TriggerScope): Promise<void>;
}

export interface TriggerLimits {
  /** Apps worked on at once (in waves of `waveApps`), and config reads at once twice that. */
  parallelism: number;
  /** Apps per wave: each wave's services go in one DescribeServices and its events in one PutEvents (both take ten). */
  waveApps: number;
  /** Apps started inline; the rest are deferred. */
  maxInlineApps: number;
  /** Past this many ms since the start, remaining apps are deferred (GitHub gives up after 10 s). */
  inlineBudgetMs: number;
  /**
   * The same for a continuation, which answers nobody: only the function's own timeout (29 s in
   * serverless.yml) bounds it, so it defers again only when it is truly slow, not at GitHub's limit.
   */
  continuationBudgetMs: number;
  /**
   * Config reads the webhook may still need after the cache. Past this, the response would risk
   * GitHub's 10 s timeout (on AWS each read is a GitHub API call), so the whole push is deferred.
   */
  maxAnalysisReads: number;
}

export const DEFAULT_TRIGGER_LIMITS: TriggerLimits = {
  parallelism: 8,
  waveApps: 10,
  maxInlineApps: 50,
  inlineBudgetMs: 6_000,
  continuationBudgetMs: 20_000,
  maxAnalysisReads: 100,
};

export interface TriggerDeps {
  source: ManifestSource;
  planner: AppPlanner;
  history: Pick<DeploymentStore, 'createDeployment' | 'getDeployment' | 'getDeployments'>;
  workflow: WorkflowPort;
  events: BatchEventPublisher;
  deferrer: Deferrer;
  logger: StepcdLogger;
  /** The engine's clock: a plan's createdAt, from which its deadline runs. */
  now: () => Date;
  /** The time people read (records, events) and the inline budget, which guards real HTTP timeouts. */
  wallNow: () => Date;
  limits?: Partial<TriggerLimits>;
  /** Parsed trigger settings by blob id; the container-wide in-memory cache when absent. */
  triggerCache?: TriggerSettingsCache;
  /** File texts by commit and path; the container-wide one when absent. */
  fileTexts?: FileTextCache;
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
  /**
   * Set when too many configs needed reading to answer in time: the whole push went to the
   * deferrer (nothing was started here) and `results` is empty.
   */
  deferredAnalysis?: { configs: number };
  /**
   * The pushed commit is not in the repository, so no app can be named: the push as a whole ended in
   * one TRIGGER_FAILED record (id `pushFailureIdFor`) and one DEPLOYMENT_TRIGGER_FAILED event.
   */
  missingCommit?: { deploymentId: string; reason: string };
}

/** The record id of a push that failed before any app could be named (its commit is missing). */
export function pushFailureIdFor(push: Pick<PushEvent, 'repo' | 'after'>, planner: Pick<AppPlanner, 'deploymentIdFor'>): string {
  return planner.deploymentIdFor({ repo: push.repo, configPath: '(push)', sha: push.after });
}

/**
 * The GitOps use case: one pushed commit → the apps it affects → one deployment each. Every step is
 * idempotent (deterministic deployment ids, conditional record creation, deterministic execution
 * names), so a redelivered or re-invoked push starts nothing twice and resumes what a crash left.
 *
 * `scope` is every affected app by default; a continuation passes the app configs it was handed, or
 * WHOLE_PUSH when the webhook deferred the analysis itself (then the analysis is never deferred again).
 */
export async function triggerDeployments(push: PushEvent, deps: TriggerDeps, scope?: TriggerScope): Promise<TriggerOutcome> {
  const limits = { ...DEFAULT_TRIGGER_LIMITS, ...deps.limits };
  const startedAt = deps.wallNow().getTime();
  const files = filesAt(deps.source, push.after, deps.fileTexts);

  let configPaths: readonly string[];
  let deletedApps: string[] = [];
  let apps: readonly AppTrigger[];
  if (Array.isArray(scope)) {
    configPaths = scope;
    // A continuation is past its deferral: it reads what the cache lacks rather than defer again.
    apps = (await repositoryApps(files, deps, { ...limits, mayDefer: false })) as AppTrigger[];
  } else {
    let found: Analysis;
    try {
      found = await findAffected(push, files, deps, { ...limits, mayDefer: scope !== WHOLE_PUSH });
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
      return { results: [], deletedApps: [], missingCommit: await recordMissingCommit(push, err, deps) };
    }
    if ('deferred' in found) {
      deps.logger.info('too many app configs to read before answering; deferring the whole push', { configs: found.deferred, sha: push.after });
      await deps.deferrer.defer(push, WHOLE_PUSH);
      return { results: [], deletedApps: [], deferredAnalysis: { configs: found.deferred } };
    }
    ({ configPaths, deletedApps, apps } = found);
  }
  const repository: RepositoryApps = { apps, planned: configPaths };
  for (const dir of deletedApps) deps.logger.info('app directory deleted by this push; not deploying it', { app: dir, sha: push.after });

  const trigger = triggerOf(push);
  const requests = configPaths.slice(0, limits.maxInlineApps).map((configPath) => ({
    configPath,
    deploymentId: deps.planner.deploymentIdFor({ repo: push.repo, configPath, sha: push.after }),
    push,
    trigger,
    files,
    repository,
  }));
  const budgetMs = scope === undefined ? limits.inlineBudgetMs : limits.continuationBudgetMs;
  const overBudget = () => deps.wallNow().getTime() - startedAt > budgetMs;
  const results = [
    ...(await triggerApps(requests, deps, { ...limits, overBudget })),
    ...configPaths.slice(limits.maxInlineApps).map(
      (configPath): AppTriggerResult => ({
        app: appDirOf(configPath),
        configPath,
        deploymentId: deps.planner.deploymentIdFor({ repo: push.repo, configPath, sha: push.after }),
        status: 'DEFERRED',
      }),
    ),
  ];
  const deferred = results.filter((r) => r.status === 'DEFERRED').map((r) => r.configPath);

  if (deferred.length > 0) {
    deps.logger.info('deferring apps beyond the inline budget', { count: deferred.length, sha: push.after });
    await deps.deferrer.defer(push, deferred.sort());
  }
  return { results, deletedApps };
}

function triggerOf(push: PushEvent): TriggerRef {
  return {
    kind: 'push',
    ...(push.delivery ? { delivery: push.delivery } : {}),
    ...(push.actor ? { actor: push.actor } : {}),
    ...(push.pushedAt ? { pushedAt: push.pushedAt } : {}),
  };
}

/** The pushed commit cannot be read: one record and one event for the push, naming the commit. */
async function recordMissingCommit(push: PushEvent, err: NotFoundError, deps: TriggerDeps): Promise<{ deploymentId: string; reason: string }> {
  const deploymentId = pushFailureIdFor(push, deps.planner);
  const trigger = triggerOf(push);
  const reason = `commit ${push.after.slice(0, 7)} is not in ${push.repo}: ${err.message}`;
  deps.logger.warn('pushed commit not found; nothing to deploy', { sha: push.after, repo: push.repo });
  const record = triggerFailedRecord({
    deploymentId,
    app: { name: push.repo, dir: '', labels: {}, repo: push.repo },
    commit: push.commit,
    trigger,
    issues: [{ file: push.repo, path: '', message: reason, severity: 'error' }],
    now: deps.wallNow(),
  });
  if (await deps.history.createDeployment(record)) {
    await deps.events.publish(statusEvent(record, { status: record.status, reason, now: record.createdAt }));
  }
  return { deploymentId, reason };
}

type Analysis = { configPaths: string[]; deletedApps: string[]; apps: AppTrigger[] } | { deferred: number };

/**
 * Changed paths → affected apps. Trigger paths may point outside an app's directory, so every
 * config's settings are needed; they come from the cache by blob id, and only configs the cache has
 * never seen (new or changed content) are read. Too many of those, and the analysis is deferred.
 */
async function findAffected(push: PushEvent, files: FilesAtCommit, deps: TriggerDeps, limits: TriggerLimits & { mayDefer: boolean }): Promise<Analysis> {
  const [tree, changed] = await Promise.all([
    files.tree(),
    push.payloadPaths ? Promise.resolve(push.payloadPaths) : deps.source.changedPaths(push.before, push.after),
  ]);
  const apps = await repositoryApps(files, deps, limits);
  if (!Array.isArray(apps)) return apps;
  const { affected, deleted } = affectedApps(apps, changed, new Set(tree.map((f) => f.path)));
  return { configPaths: affected.map((a) => a.configPath).sort(), deletedApps: deleted.map((d) => d.dir), apps };
}

/**
 * Every app config's trigger settings at the pushed commit: from the cache by blob id, reading only
 * configs the cache has never seen. Too many of those, and (when allowed) the caller defers.
 */
async function repositoryApps(
  files: FilesAtCommit,
  deps: TriggerDeps,
  limits: TriggerLimits & { mayDefer: boolean },
): Promise<AppTrigger[] | { deferred: number }> {
  const cache = deps.triggerCache ?? containerTriggerCache;
  const configs = findAppConfigFiles(await files.tree());
  const { known, missing } = splitByCache(configs, await cache.getMany([...new Set(configs.map((c) => c.id))]));
  if (limits.mayDefer && missing.length > limits.maxAnalysisReads) return { deferred: missing.length };

  const fresh = new Map<string, TriggerSettings>();
  const read = await mapBounded(missing, limits.parallelism * 2, async (config) => {
    // A refused config (a symlink out, not UTF-8, too big) still names an app: its planner reports why.
    const text = await files.read(config.path).catch(refusedAsMissing);
    const settings = parseTriggerSettings(text, config.path);
    // A config listed but unreadable is not cached: its absence says nothing about its blob.
    if (text !== undefined) fresh.set(config.id, settings);
    return appTriggerOf(config.path, settings);
  });
  await cache.putMany(fresh);
  return [...known, ...read];
}

function refusedAsMissing(err: unknown): undefined {
  if (err instanceof RefusedFileError) return undefined;
  throw err;
}
