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
  const out = new Map<string, ManifestIssue[]>();
  const add = (configPath: string, issue: ManifestIssue) => out.set(configPath, [...(out.get(configPath) ?? []), issue]);
  for (const app of apps) {
    for (const other of apps) {
      if (other.configPath === app.configPath) continue;
      if (app.name && app.name === other.name) {
        add(app.configPath, {
          file: app.configPath,
          path: 'spec.name',
          message: `${JSON.stringify(app.name)} is also the name of ${other.configPath}: app names must be unique in a repository (both apps are refused, or they would share one lock, history and rollback target)`,
          severity: 'error',
        });
      }
      if (app.serviceName && app.serviceName === other.serviceName && app.cluster === other.cluster) {
        add(app.configPath, {
          file: app.serviceFile ?? app.configPath,
          path: 'serviceName',
          message: `${JSON.stringify(app.serviceName)} in cluster ${JSON.stringify(app.cluster)} is also deployed by ${other.configPath}: one ECS service belongs to one app (both apps are refused, or each would replace the other's task sets)`,
          severity: 'error',
        });
      }
    }
  }
  return out;
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
