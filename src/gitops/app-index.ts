import type { ManifestIssue } from '../manifest/issues.js';
import { identityConflicts, readAppIdentity, type AppIdentity } from '../manifest/app-identity.js';
import { mapBounded } from './bounded.js';
import type { FilesAtCommit } from './manifest-source.js';
import type { RepositoryApps } from './trigger.js';

/**
 * The clashes between this app and the repository's other apps at the pushed commit, as `stepcd
 * validate` reports them on a checkout: the same spec.name (from every app's trigger settings, which
 * the analysis has anyway), or the same cluster and service. Service definitions are read only for the
 * apps this run plans, which read them anyway, so a push to a 1,000-app repository reads no more; a
 * clash with an app the push leaves alone is caught by the live service's stepcd:app tag instead.
 */
export async function conflictsOf(files: FilesAtCommit, configPath: string, repository: RepositoryApps | undefined): Promise<ManifestIssue[]> {
  if (!repository) return [];
  if (!repository.planned.includes(configPath)) return (await repositoryConflicts(files, repository, [configPath])).get(configPath) ?? [];
  // Every planner of the push asks about the same apps: compute the clashes once per push.
  let perFiles = pushConflicts.get(repository);
  if (!perFiles) pushConflicts.set(repository, (perFiles = new WeakMap()));
  let pending = perFiles.get(files);
  if (!pending) {
    pending = repositoryConflicts(files, repository, []);
    pending.catch(() => perFiles.delete(files));
    perFiles.set(files, pending);
  }
  return (await pending).get(configPath) ?? [];
}

const pushConflicts = new WeakMap<RepositoryApps, WeakMap<FilesAtCommit, Promise<Map<string, ManifestIssue[]>>>>();

async function repositoryConflicts(files: FilesAtCommit, repository: RepositoryApps, extra: string[]): Promise<Map<string, ManifestIssue[]>> {
  const planned = new Set([...repository.planned, ...extra]);
  const others = repository.apps.filter((a) => !planned.has(a.configPath));
  const identities: AppIdentity[] = [
    ...others.map((a) => ({ configPath: a.configPath, ...(a.name ? { name: a.name } : {}) })),
    ...(await mapBounded([...planned], 8, (path) => identityAt(files, path))),
  ];
  return identityConflicts(identities);
}

/** Each planned app's identity, parsed once per commit however many planners of the push ask. */
const identities = new WeakMap<FilesAtCommit, Map<string, Promise<AppIdentity>>>();

function identityAt(files: FilesAtCommit, configPath: string): Promise<AppIdentity> {
  let known = identities.get(files);
  if (!known) identities.set(files, (known = new Map()));
  let pending = known.get(configPath);
  if (!pending) {
    pending = readAppIdentity({ readFile: (path) => files.read(path) }, configPath);
    pending.catch(() => known.delete(configPath));
    known.set(configPath, pending);
  }
  return pending;
}
