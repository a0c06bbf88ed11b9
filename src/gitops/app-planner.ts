import { resolveApprovers } from '../approval/approver-rule.js';
import type { AppRef } from '../domain/plan.js';
import { InvalidManifestError } from '../errors.js';
import type { ManifestIssue } from '../manifest/issues.js';
import { loadApp } from '../manifest/load-app.js';
import { RefusedFileError } from '../manifest/refusal.js';
import { conflictsOf } from './app-index.js';
import type { AppManifest } from '../manifest/types.js';
import type { EcsPort } from '../stages/ports.js';
import { buildPlan } from '../plan/build-plan.js';
import { deploymentIdFor } from '../plan/ids.js';
import { appDirOf, readAppTrigger } from './affected-apps.js';
import type { AppPlanner, PlanOutcome } from './trigger.js';

/** Whether the app's ECS service exists: a first deployment quick-syncs (ARCHITECTURE §4). */
export interface ServiceLookup {
  serviceExists(cluster: string, serviceName: string): Promise<boolean>;
  /** Whether it exists and which app's it is (its stepcd:app tag), in one call. */
  serviceOwner?(cluster: string, serviceName: string): Promise<{ exists: boolean; app?: string }>;
}

export function serviceLookupOver(ecs: Pick<EcsPort, 'findService'>): ServiceLookup {
  const owner = async (cluster: string, serviceName: string) => {
    const service = await ecs.findService(cluster, serviceName);
    const app = service?.tags['stepcd:app'];
    return { exists: service !== undefined, ...(app ? { app } : {}) };
  };
  return { serviceExists: async (cluster, serviceName) => (await owner(cluster, serviceName)).exists, serviceOwner: owner };
}

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

  async plan(request: Parameters<AppPlanner['plan']>[0]): Promise<PlanOutcome> {
    const { configPath, files, push, trigger, now, repository, salt } = request;
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
    if (!loaded.ok || conflicts.length > 0) {
      const issues = loaded.ok ? conflicts : [...loaded.issues, ...conflicts];
      return { ok: false, app: loaded.ok ? refOf(loaded.app, push.repo) : await fallbackRef(request), issues };
    }
    const { app } = loaded;
    const lookup = await lookUpService(this.services, app);
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

function refOf(app: { name: string; dir: string; labels: Record<string, string> }, repo: string): AppRef {
  return { name: app.name, dir: app.dir, labels: app.labels, repo };
}

/**
 * A cluster that does not exist is a fact about the manifest, not a passing fault: it becomes an issue
 * on the service definition's `cluster` (TRIGGER_FAILED), where a redelivery could not help. Any
 * other lookup failure is thrown, retryable or not, and trigger.ts records it.
 */
async function lookUpService(services: ServiceLookup, app: AppManifest): Promise<{ serviceExists: boolean; owner?: string } | { issue: ManifestIssue }> {
  // A standalone task has no service to look up; RunTask itself refuses a cluster that does not exist.
  if (app.standalone) return { serviceExists: false };
  const { cluster, serviceName } = app.serviceDefinition;
  try {
    if (!services.serviceOwner) return { serviceExists: await services.serviceExists(cluster, serviceName) };
    const live = await services.serviceOwner(cluster, serviceName);
    return { serviceExists: live.exists, ...(live.app !== undefined ? { owner: live.app } : {}) };
  } catch (err) {
    if (errorNameOf(err) !== 'ClusterNotFoundException') throw err;
    const file = app.files[1] ?? app.configFile;
    return {
      issue: { file, path: 'cluster', message: `names cluster ${cluster}, which does not exist (create it first, or fix the name)`, severity: 'error' },
    };
  }
}

function errorNameOf(err: unknown): string | undefined {
  const e = err as { name?: string; cause?: { name?: string } };
  return e?.cause?.name ?? e?.name;
}

/** Names an invalid app as best we can: `spec.name` if the config parses that far, else its directory. */
async function fallbackRef(request: Parameters<AppPlanner['plan']>[0]): Promise<AppRef> {
  const dir = appDirOf(request.configPath);
  const text = await request.files.read(request.configPath).catch((err: unknown) => {
    if (err instanceof RefusedFileError) return undefined;
    throw err;
  });
  const lenient = readAppTrigger(request.configPath, text);
  return { name: lenient.name ?? (dir || request.push.repo), dir, labels: {}, repo: request.push.repo };
}
