import { parse } from 'yaml';
import type { DeploymentRecord } from '../domain/deployment.js';
import { findAppConfigs } from '../gitops/affected-apps.js';
import type { ManifestSource } from '../gitops/manifest-source.js';
import type { HistoryStore } from '../history/store.js';
import { deploymentsTable } from './timeline.js';

/** What the local front's read-only `GET /` page shows: history only, read when the page is asked for. */
export interface StatusSnapshot {
  at: string;
  active: DeploymentRecord[];
  /** Every app of the watched repository (and any with a deployment in progress), newest first. */
  apps: { name: string; recent: DeploymentRecord[] }[];
}

export const RECENT_PER_APP = 5;

export interface StatusDeps {
  history: Pick<HistoryStore, 'listActive' | 'listByApp'>;
  /** The app names to list; apps that only have a deployment in progress are added. */
  appNames: () => Promise<string[]>;
  now: () => Date;
}

export async function readStatus(deps: StatusDeps): Promise<StatusSnapshot> {
  const [active, names] = await Promise.all([deps.history.listActive(), deps.appNames()]);
  const all = [...new Set([...names, ...active.map((r) => r.app.name)])].sort();
  const apps = await Promise.all(all.map(async (name) => ({ name, recent: await deps.history.listByApp(name, { limit: RECENT_PER_APP }) })));
  return { at: deps.now().toISOString(), active, apps };
}

/** Pure: the page as plain text, the same tables `stepcd deployments list` prints. */
export function renderStatusPage(s: StatusSnapshot): string {
  const lines = [`stepcd local: status at ${s.at}`, ''];
  lines.push(s.active.length > 0 ? `in progress (${s.active.length}):` : 'in progress: none');
  if (s.active.length > 0) lines.push(...deploymentsTable(s.active).map(indent));
  lines.push('');
  if (s.apps.length === 0) lines.push('no apps yet: commit an app.pipecd.yaml to the watched repository');
  for (const app of s.apps) {
    lines.push(`${app.name}: ${app.recent.length > 0 ? `last ${app.recent.length}` : 'never deployed'}`);
    if (app.recent.length > 0) lines.push(...deploymentsTable(app.recent).map(indent));
    lines.push('');
  }
  lines.push('details: stepcd deployments show <id> --local; stepcd logs <id> --local');
  return `${lines.join('\n')}\n`;
}

/**
 * The `spec.name` of every app config at `sha`. A config that does not parse, or has no name, is
 * left out: the page shows history, and `stepcd validate` is where broken manifests are reported.
 */
export async function appNamesAt(source: ManifestSource, sha: string): Promise<string[]> {
  const configs = findAppConfigs(await source.listFiles(sha));
  const names = await Promise.all(configs.map(async (path) => specName(await source.readFile(sha, path))));
  return names.filter((n): n is string => n !== undefined);
}

function specName(text: string | undefined): string | undefined {
  try {
    const name = (parse(text ?? '') as { spec?: { name?: unknown } } | null)?.spec?.name;
    return typeof name === 'string' && name.length > 0 ? name : undefined;
  } catch {
    return undefined;
  }
}

function indent(line: string): string {
  return `  ${line}`;
}
