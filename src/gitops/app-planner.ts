import { resolveApprovers } from '../approval/approver-rule.js';
import type { AppRef } from '../domain/plan.js';
import { InvalidManifestError } from '../errors.js';
import { loadApp } from '../manifest/load-app.js';
import { RefusedFileError } from '../manifest/refusal.js';
import { conflictsOf } from './app-index.js';
import type { AppManifest } from '../manifest/types.js';
import { buildPlan } from '../plan/build-plan.js';
import { deploymentIdFor } from '../plan/ids.js';
import { appDirOf, readAppTrigger } from './affected-apps.js';
import { mapBounded } from './bounded.js';
import { lookUpServices, type ServiceAnswer, type ServiceLookup } from './service-lookup.js';
import type { AppPlanner, PlanOutcome, PlanRequest } from './trigger.js';

/** Apps loaded at once when the caller does not say. */
const DEFAULT_PLAN_PARALLELISM = 8;

/**
 * The real planner: src/manifest validates, src/plan plans. A failed service lookup is thrown, not
 * guessed: planning a quick sync over a live service (or a pipeline for a missing one) would be
 * wrong, so the app ends as a retryable ERROR and the webhook answers 5xx for a redelivery.
 */
export class ManifestPlanner implements AppPlanner {
  /** `stackApprovers`: the stack-wide approver allowlist (Config.approvers), for stages that name none. */
  constructor(
    private readonly services: ServiceLookup,
    private readonly stackApprovers: readonly string[] = [],
  ) {}

  deploymentIdFor(ref: { repo: string; configPath: string; sha: string }): string {
    return deploymentIdFor(ref);
  }

  async plan(request: PlanRequest): Promise<PlanOutcome> {
    const [settled] = await this.planMany([request]);
    if (settled?.status !== 'fulfilled') throw settled?.reason;
    return settled.value;
  }

  /**
   * Many apps of one push: each is loaded and checked (a few at a time), then every service is looked
   * up with one lookup per cluster, then each is planned. One app's failure is its own result.
   */
  async planMany(requests: readonly PlanRequest[], opts: { parallelism?: number } = {}): Promise<PromiseSettledResult<PlanOutcome>[]> {
    const loaded = await mapBounded(requests, opts.parallelism ?? DEFAULT_PLAN_PARALLELISM, (request) => settle(loadChecked(request)));
    const valid: AppManifest[] = [];
    for (const l of loaded) {
      const value = l.status === 'fulfilled' ? l.value : undefined;
      if (value && 'app' in value) valid.push(value.app);
    }
    const answers = await lookUpServices(this.services, valid);
    let next = 0;
    return loaded.map((l, i) => {
      if (l.status === 'rejected') return l;
      if ('outcome' in l.value) return { status: 'fulfilled', value: l.value.outcome };
      const { app } = l.value;
      const answer = answers[next++]!;
      return settleNow(() => this.planLoaded(requests[i]!, app, answer));
    });
  }

  private planLoaded(request: PlanRequest, app: AppManifest, lookup: ServiceAnswer): PlanOutcome {
    const { configPath, push, trigger, now, repository, salt } = request;
    if ('error' in lookup) throw lookup.error;
    if ('issue' in lookup) return { ok: false, app: refOf(app, push.repo), issues: [lookup.issue] };
    const { serviceExists, owner: liveOwner } = lookup;
    if (liveOwner !== undefined && liveOwner !== app.name) {
      // The service is another app's (stepcd tags what it creates): deploying would replace its task sets.
      const { cluster, serviceName } = app.serviceDefinition;
      const owner = repository?.apps.find((a) => a.name === liveOwner)?.configPath;
      const file = app.files[1] ?? configPath;
      const message = `${JSON.stringify(serviceName)} in cluster ${JSON.stringify(cluster)} is deployed by app ${JSON.stringify(liveOwner)}${owner ? ` (${owner})` : ''} (its stepcd:app tag): one ECS service belongs to one app`;
      return { ok: false, app: refOf(app, push.repo), issues: [{ file, path: 'serviceName', message, severity: 'error' }] };
    }
    try {
      const plan = buildPlan({ app, repo: push.repo, commit: push.commit, trigger, serviceExists, now, ...(salt !== undefined && { salt }) });
      const resolved = resolveApprovers(plan, app.stages, this.stackApprovers, app.configFile);
      return resolved.ok ? resolved : { ok: false, app: refOf(app, push.repo), issues: resolved.issues };
    } catch (err) {
      // buildPlan refuses plans over the size limit with the same typed error as validation.
      if (err instanceof InvalidManifestError) return { ok: false, app: refOf(app, push.repo), issues: err.issues };
      throw err;
    }
  }
}

/** The app validated and clear of clashes with the repository's others, or why it cannot be planned. */
async function loadChecked(request: PlanRequest): Promise<{ app: AppManifest } | { outcome: PlanOutcome }> {
  const { configPath, files, push, repository } = request;
  const loaded = await loadApp(
    {
      readFile: (path) => files.read(path),
      // filesAt keeps each read in flight by path, so loadApp's own reads join these.
      prefetch: (paths) => {
        for (const path of paths) files.read(path).catch(() => undefined);
      },
    },
    configPath,
  );
  // Checked even for a broken app, so that both sides of a clash are told about the other.
  const conflicts = await conflictsOf(files, configPath, repository);
  if (loaded.ok && conflicts.length === 0) return { app: loaded.app };
  const issues = loaded.ok ? conflicts : [...loaded.issues, ...conflicts];
  return { outcome: { ok: false, app: loaded.ok ? refOf(loaded.app, push.repo) : await fallbackRef(request), issues } };
}

function settle<T>(work: Promise<T>): Promise<PromiseSettledResult<T>> {
  return work.then(
    (value) => ({ status: 'fulfilled', value }),
    (reason: unknown) => ({ status: 'rejected', reason }),
  );
}

function settleNow<T>(work: () => T): PromiseSettledResult<T> {
  try {
    return { status: 'fulfilled', value: work() };
  } catch (reason) {
    return { status: 'rejected', reason };
  }
}

function refOf(app: { name: string; dir: string; labels: Record<string, string> }, repo: string): AppRef {
  return { name: app.name, dir: app.dir, labels: app.labels, repo };
}

/** Names an invalid app as best we can: `spec.name` if the config parses that far, else its directory. */
async function fallbackRef(request: PlanRequest): Promise<AppRef> {
  const dir = appDirOf(request.configPath);
  const text = await request.files.read(request.configPath).catch((err: unknown) => {
    if (err instanceof RefusedFileError) return undefined;
    throw err;
  });
  const lenient = readAppTrigger(request.configPath, text);
  return { name: lenient.name ?? (dir || request.push.repo), dir, labels: {}, repo: request.push.repo };
}
