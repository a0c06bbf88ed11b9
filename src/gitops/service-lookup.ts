import type { ManifestIssue } from '../manifest/issues.js';
import type { AppManifest } from '../manifest/types.js';

/** An ECS service as planning sees it: absent (a first deployment quick-syncs), or whose it is. */
export interface LiveService {
  /** The app its `stepcd:app` tag names, when stepcd created it. */
  app?: string;
}

/** Which ECS services exist (ARCHITECTURE §4) and whose they are, many at once. */
export interface ServiceLookup {
  /**
   * The services among `serviceNames` that exist in `cluster` (INACTIVE ones do not), by name. A
   * missing cluster throws (ECS's ClusterNotFoundException, as `name` or as the `cause`'s name).
   */
  servicesIn(cluster: string, serviceNames: readonly string[]): Promise<Map<string, LiveService>>;
}

export type ServiceAnswer = { serviceExists: boolean; owner?: string } | { issue: ManifestIssue } | { error: unknown };

/**
 * The service of each app, one `servicesIn` per cluster however many apps a push plans (the adapter
 * asks ECS ten names a call). A cluster that does not exist is a fact about the manifest, not a
 * passing fault: it becomes an issue on the service definition's `cluster` (TRIGGER_FAILED), where a
 * redelivery could not help. Any other failure is that cluster's apps' error, thrown by the planner.
 */
export async function lookUpServices(services: ServiceLookup, apps: readonly AppManifest[]): Promise<ServiceAnswer[]> {
  const byCluster = new Map<string, number[]>();
  apps.forEach((app, i) => {
    // A standalone task has no service to look up; RunTask itself refuses a cluster that does not exist.
    if (app.standalone) return;
    const { cluster } = app.serviceDefinition;
    byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), i]);
  });
  const answers: ServiceAnswer[] = apps.map(() => ({ serviceExists: false }));
  await Promise.all(
    [...byCluster].map(async ([cluster, indexes]) => {
      let live: Map<string, LiveService>;
      try {
        live = await services.servicesIn(
          cluster,
          indexes.map((i) => apps[i]!.serviceDefinition.serviceName),
        );
      } catch (err) {
        for (const i of indexes) answers[i] = errorNameOf(err) === 'ClusterNotFoundException' ? { issue: missingCluster(apps[i]!) } : { error: err };
        return;
      }
      for (const i of indexes) {
        const service = live.get(apps[i]!.serviceDefinition.serviceName);
        answers[i] = { serviceExists: service !== undefined, ...(service?.app !== undefined ? { owner: service.app } : {}) };
      }
    }),
  );
  return answers;
}

function missingCluster(app: AppManifest): ManifestIssue {
  const file = app.files[1] ?? app.configFile;
  const { cluster } = app.serviceDefinition;
  return { file, path: 'cluster', message: `names cluster ${cluster}, which does not exist (create it first, or fix the name)`, severity: 'error' };
}

function errorNameOf(err: unknown): string | undefined {
  const e = err as { name?: string; cause?: { name?: string } };
  return e?.cause?.name ?? e?.name;
}
