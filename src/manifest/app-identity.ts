import type { ManifestIssue } from './issues.js';
import { parseManifestText } from './parse-file.js';
import { dirOf, resolveInApp } from './paths.js';
import { RefusedFileError } from './refusal.js';
import type { ManifestFiles } from './types.js';

/**
 * What makes an app one app: its name (history, lock and last good version are keyed by it) and the
 * ECS service it deploys. Read leniently: a broken manifest still has an identity worth comparing.
 */
export interface AppIdentity {
  configPath: string;
  name?: string;
  /** The service definition file, repo-relative, when named and inside the repository. */
  serviceFile?: string;
  /** Cluster name (the last part of an ARN) and service name, when the servicedef has them. */
  cluster?: string;
  serviceName?: string;
}

export async function readAppIdentity(files: ManifestFiles, configPath: string): Promise<AppIdentity> {
  const config = await readLenient(files, configPath);
  const spec = field(config, 'spec');
  const name = field(spec, 'name');
  const named = field(field(spec, 'input'), 'serviceDefinitionFile');
  const serviceFile = typeof named === 'string' && named ? resolveInApp(dirOf(configPath), named) : undefined;
  const service = serviceFile ? await readLenient(files, serviceFile) : undefined;
  const cluster = field(service, 'cluster');
  const serviceName = field(service, 'serviceName');
  return {
    configPath,
    ...(typeof name === 'string' && name ? { name } : {}),
    ...(serviceFile ? { serviceFile } : {}),
    ...(typeof serviceName === 'string' && serviceName ? { serviceName, cluster: clusterName(cluster) } : {}),
  };
}

/**
 * Pure. Every app that shares its name or its ECS service with another app gets one error per
 * clash, naming the other app's file. Both sides are refused: which one is "the real one" cannot be
 * told from the repository, and deploying either would overwrite the other's service or history.
 */
export function identityConflicts(apps: readonly AppIdentity[]): Map<string, ManifestIssue[]> {
  // Grouped by name and by service, so a 1,000-app repository costs one pass, not a million pairs.
  const serviceKeys = apps.map((app) => (app.serviceName ? `${app.cluster}\u0000${app.serviceName}` : undefined));
  const byName = groupIndexes(apps.map((app) => app.name || undefined));
  const byService = groupIndexes(serviceKeys);
  const out = new Map<string, ManifestIssue[]>();
  apps.forEach((app, i) => {
    const nameGroup = app.name ? (byName.get(app.name) ?? []) : [];
    const serviceKey = serviceKeys[i];
    const serviceGroup = serviceKey === undefined ? [] : (byService.get(serviceKey) ?? []);
    if (nameGroup.length < 2 && serviceGroup.length < 2) return;
    const sameName = new Set(nameGroup);
    const sameService = new Set(serviceGroup);
    // In the apps' order, name before service for each other app, as a pairwise scan reports them.
    const others = [...new Set([...nameGroup, ...serviceGroup])].filter((j) => j !== i && apps[j]?.configPath !== app.configPath).sort((a, b) => a - b);
    const issues = out.get(app.configPath) ?? [];
    for (const j of others) {
      const other = apps[j] as AppIdentity;
      if (sameName.has(j)) {
        issues.push({
          file: app.configPath,
          path: 'spec.name',
          message: `${JSON.stringify(app.name)} is also the name of ${other.configPath}: app names must be unique in a repository (both apps are refused, or they would share one lock, history and rollback target)`,
          severity: 'error',
        });
      }
      if (sameService.has(j)) {
        issues.push({
          file: app.serviceFile ?? app.configPath,
          path: 'serviceName',
          message: `${JSON.stringify(app.serviceName)} in cluster ${JSON.stringify(app.cluster)} is also deployed by ${other.configPath}: one ECS service belongs to one app (both apps are refused, or each would replace the other's task sets)`,
          severity: 'error',
        });
      }
    }
    if (issues.length > 0) out.set(app.configPath, issues);
  });
  return out;
}

/** Indexes of the apps sharing each key (apps without a key are left out). */
function groupIndexes(keys: ReadonlyArray<string | undefined>): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  keys.forEach((key, i) => {
    if (key === undefined) return;
    const group = groups.get(key);
    if (group) group.push(i);
    else groups.set(key, [i]);
  });
  return groups;
}

/** ECS accepts a cluster by name or ARN; absent means `default`. */
function clusterName(cluster: unknown): string {
  if (typeof cluster !== 'string' || cluster === '') return 'default';
  return cluster.slice(cluster.lastIndexOf('/') + 1);
}

async function readLenient(files: ManifestFiles, path: string): Promise<unknown> {
  let text: string | undefined;
  try {
    text = await files.readFile(path);
  } catch (err) {
    if (err instanceof RefusedFileError) return undefined;
    throw err;
  }
  if (text === undefined) return undefined;
  const parsed = parseManifestText(path, text);
  return parsed.ok ? parsed.value : undefined;
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}
