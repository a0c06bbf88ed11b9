import type { AppRef } from '../domain/plan.js';
import { InvalidManifestError } from '../errors.js';
import { loadApp } from '../manifest/load-app.js';
import { RefusedFileError } from '../manifest/refusal.js';
import { conflictsOf } from './app-index.js';
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
  constructor(private readonly services: ServiceLookup) {}

  deploymentIdFor(ref: { repo: string; configPath: string; sha: string }): string {
    return deploymentIdFor(ref);
  }

  async plan(request: Parameters<AppPlanner['plan']>[0]): Promise<PlanOutcome> {
    const { configPath, files, push, trigger, now, repository } = request;
    const loaded = await loadApp({ readFile: (path) => files.read(path) }, configPath);
    // Checked even for a broken app, so that both sides of a clash are told about the other.
    const conflicts = await conflictsOf(files, configPath, repository);
    if (!loaded.ok || conflicts.length > 0) {
      const issues = loaded.ok ? conflicts : [...loaded.issues, ...conflicts];
      return { ok: false, app: loaded.ok ? refOf(loaded.app, push.repo) : await fallbackRef(request), issues };
    }
    const { app } = loaded;
    const { cluster, serviceName } = app.serviceDefinition;
    const live = this.services.serviceOwner ? await this.services.serviceOwner(cluster, serviceName) : { exists: await this.services.serviceExists(cluster, serviceName) };
    if (live.app !== undefined && live.app !== app.name) {
      // The service is another app's (stepcd tags what it creates): deploying would replace its task sets.
      const owner = repository?.apps.find((a) => a.name === live.app)?.configPath;
      const file = app.files[1] ?? configPath;
      const message = `${JSON.stringify(serviceName)} in cluster ${JSON.stringify(cluster)} is deployed by app ${JSON.stringify(live.app)}${owner ? ` (${owner})` : ''} (its stepcd:app tag): one ECS service belongs to one app`;
      return { ok: false, app: refOf(app, push.repo), issues: [{ file, path: 'serviceName', message, severity: 'error' }] };
    }
    const serviceExists = live.exists;
    try {
      return { ok: true, plan: buildPlan({ app, repo: push.repo, commit: push.commit, trigger, serviceExists, now }) };
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
