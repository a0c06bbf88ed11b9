import { parse as parseYaml } from 'yaml';
import { dirOf, isAppConfigPath, resolveInApp } from '../manifest/paths.js';
import { compilePatterns } from './path-pattern.js';

/** What decides whether a push touches an app. */
export interface AppTrigger {
  configPath: string;
  /** The config's directory, '' for the repository root (as in src/manifest). */
  dir: string;
  /** `spec.name` when readable: names the app in reports even when its manifest is invalid. */
  name?: string;
  /** Service and task definition files, resolved against the repository root. */
  definitionFiles: string[];
  /** `trigger.onCommit.paths`: extra paths (outside the app directory) that also trigger it. */
  paths: string[];
  /** `trigger.onCommit.ignores`: changes to these never trigger it, even inside the directory. */
  ignores: string[];
}

export interface AffectedApps {
  affected: AppTrigger[];
  /** Apps whose config was removed by this push: nothing to deploy, only to report. */
  deleted: { configPath: string; dir: string }[];
}

export function appDirOf(configPath: string): string {
  return dirOf(configPath);
}

/** Pure: the config files present at the pushed sha, from one recursive tree listing. */
export function findAppConfigs(tree: readonly string[]): string[] {
  return tree.filter(isAppConfigPath).sort();
}

/**
 * Pure. An app is affected when a changed path, not matched by its ignores, lies under its
 * directory, is its config or one of its definition files, or matches its trigger paths. Ignores
 * win over everything. An app config that the push removed is reported as deleted, never deployed.
 */
export function affectedApps(apps: readonly AppTrigger[], changed: readonly string[], tree: ReadonlySet<string>): AffectedApps {
  const affected = apps.filter((app) => isAffected(app, changed));
  const deleted = changed
    .filter((p) => isAppConfigPath(p) && !tree.has(p))
    .map((configPath) => ({ configPath, dir: appDirOf(configPath) }));
  return { affected, deleted };
}

function isAffected(app: AppTrigger, changed: readonly string[]): boolean {
  const ignored = compilePatterns(app.ignores);
  const extra = compilePatterns(app.paths);
  const own = new Set([app.configPath, ...app.definitionFiles]);
  return changed.some((p) => !ignored(p) && (isUnder(p, app.dir) || own.has(p) || extra(p)));
}

function isUnder(path: string, dir: string): boolean {
  return dir === '' || path.startsWith(`${dir}/`);
}

/**
 * Reads only the trigger-relevant fields of an app config, leniently. The trigger must work even
 * when the rest of the manifest is invalid, so that an invalid app is reported as TRIGGER_FAILED
 * rather than silently skipped; full validation is src/manifest's job.
 */
export function readAppTrigger(configPath: string, text: string | undefined): AppTrigger {
  const dir = appDirOf(configPath);
  let doc: unknown;
  try {
    doc = text === undefined ? undefined : parseYaml(text);
  } catch {
    doc = undefined;
  }
  const spec = field(doc, 'spec');
  const onCommit = field(field(spec, 'trigger'), 'onCommit');
  const input = field(spec, 'input');
  // PipeCD defaults: taskdef.json; no service definition means a standalone task.
  const serviceDef = field(input, 'serviceDefinitionFile');
  const definitionNames = [
    stringOr(field(input, 'taskDefinitionFile'), 'taskdef.json'),
    ...(typeof serviceDef === 'string' && serviceDef.length > 0 ? [serviceDef] : []),
  ];
  const name = field(spec, 'name');
  return {
    configPath,
    dir,
    ...(typeof name === 'string' && name ? { name } : {}),
    // A path leaving the repository resolves to nothing; src/manifest reports it as an issue.
    definitionFiles: definitionNames.map((file) => resolveInApp(dir, file)).filter((p): p is string => p !== undefined),
    paths: strings(field(onCommit, 'paths')),
    ignores: strings(field(onCommit, 'ignores')),
  };
}

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.length > 0) : [];
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value.length > 0 ? value : fallback;
}
