import { dirOf, isAppConfigPath, resolveInApp } from '../manifest/paths.js';
import { compilePatterns } from './path-pattern.js';
import type { TriggerSettings } from '../domain/trigger-settings.js';
import { parseTriggerSettings } from './trigger-settings.js';

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
  const deleted = changed.filter((p) => isAppConfigPath(p) && !tree.has(p)).map((configPath) => ({ configPath, dir: appDirOf(configPath) }));
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

/** Reads the trigger-relevant fields of an app config (see trigger-settings.ts), placed at its path. */
export function readAppTrigger(configPath: string, text: string | undefined): AppTrigger {
  return appTriggerOf(configPath, parseTriggerSettings(text, configPath));
}

/** Pure: content-only settings (possibly from the cache) resolved against the config's directory. */
export function appTriggerOf(configPath: string, settings: TriggerSettings): AppTrigger {
  const dir = appDirOf(configPath);
  return {
    configPath,
    dir,
    ...(settings.name ? { name: settings.name } : {}),
    // A path leaving the repository resolves to nothing; src/manifest reports it as an issue.
    definitionFiles: settings.definitionNames.map((file) => resolveInApp(dir, file)).filter((p): p is string => p !== undefined),
    paths: [...settings.paths],
    ignores: [...settings.ignores],
  };
}
