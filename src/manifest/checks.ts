import { approverIssues } from '../approval/approver-rule.js';
import { formatIssue, type ManifestIssue } from './issues.js';
import { identityConflicts, readAppIdentity } from './app-identity.js';
import { CHECKS, type CheckName, type TaggedIssue } from './issues.js';
import { analyzeApp } from './load-app.js';
import { locatePath } from './positions.js';
import type { CheckOutcome, LocatedIssue, ManifestFiles } from './types.js';

const OK_DETAIL: Record<CheckName, string> = {
  'app config': 'ECSApp config is valid',
  'service definition': 'EXTERNAL deployment controller, cluster and service name set',
  'task definition': 'family and containers set',
  'image policy': 'every image is pinned by tag or digest',
  'target groups': 'target groups match the task definition and the pipeline',
  pipeline: 'every stage is supported and its options are valid',
};

export interface VerifyOptions {
  /**
   * The stack-wide approver allowlist the apps deploy under, when known: an approval stage with no
   * approvers of its own is then NG if it is empty. Unknown (undefined), such a stage is a WARN.
   */
  stackApprovers?: readonly string[] | undefined;
}

/**
 * `stepcd validate` for one app, like `ecspresso verify`: one row per named check, NG with every
 * problem when it fails, WARN when only warnings, SKIP when a file it needs could not be read.
 */
export async function verifyApp(
  files: ManifestFiles,
  configPath: string,
  options: VerifyOptions & { conflicts?: readonly ManifestIssue[] } = {},
): Promise<CheckOutcome[]> {
  const texts = new Map<string, string>();
  const recording: ManifestFiles = {
    async readFile(path) {
      const text = await files.readFile(path);
      if (text !== undefined) texts.set(path, text);
      return text;
    },
  };
  const { label, issues, app } = await analyzeApp(recording, configPath);
  for (const c of options.conflicts ?? []) issues.error(c.path === 'spec.name' ? 'app config' : 'service definition', c.file, c.path, c.message);
  if (app) {
    for (const i of approverIssues(app.stages, options.stackApprovers, app.configFile)) {
      if (i.severity === 'error') issues.error('pipeline', i.file, i.path, i.message);
      else issues.warn('pipeline', i.file, i.path, i.message);
    }
  }
  const locate = (list: TaggedIssue[]) => list.map((i) => locateIssue(i, texts.get(i.file)));
  return CHECKS.map((check): CheckOutcome => {
    const mine = issues.items.filter((i) => i.check === check);
    const errors = mine.filter((i) => i.severity === 'error');
    if (errors.length > 0) return { app: label, check, status: 'NG', detail: errors.map(formatIssue).join('\n'), issues: locate(errors) };
    const skipped = issues.skipped.get(check);
    if (skipped !== undefined) return { app: label, check, status: 'SKIP', detail: skipped };
    if (mine.length > 0) return { app: label, check, status: 'WARN', detail: mine.map(formatIssue).join('\n'), issues: locate(mine) };
    return { app: label, check, status: 'OK', detail: okDetail(check, app?.stages.length) };
  });
}

/**
 * `stepcd validate` of a repository: every app's checks, plus the checks between apps (a name or
 * an ECS service used twice), which a push applies too.
 */
export async function verifyRepository(
  files: ManifestFiles,
  configPaths: readonly string[],
  options: VerifyOptions = {},
): Promise<Map<string, CheckOutcome[]>> {
  const identities = await Promise.all(configPaths.map((path) => readAppIdentity(files, path)));
  const conflicts = identityConflicts(identities);
  const out = new Map<string, CheckOutcome[]>();
  for (const path of configPaths) out.set(path, await verifyApp(files, path, { ...options, conflicts: conflicts.get(path) ?? [] }));
  return out;
}

/** A syntax error knows its place; any other issue is found by its path in the file's text. */
function locateIssue(issue: TaggedIssue, text: string | undefined): LocatedIssue {
  const { file, path, message, severity } = issue;
  if (issue.line !== undefined) return { file, path, line: issue.line, column: issue.column ?? 1, message, severity };
  // Conflicts between apps name a file this app did not read; unparseable text has no tree to walk.
  const at = text === undefined ? { line: 1, column: 1 } : safeLocate(text, path);
  return { file, path, ...at, message, severity };
}

function safeLocate(text: string, path: string): { line: number; column: number } {
  try {
    return locatePath(text, path);
  } catch {
    return { line: 1, column: 1 };
  }
}

function okDetail(check: CheckName, stageCount: number | undefined): string {
  if (check === 'pipeline' && stageCount === 0) return 'no pipeline: every deployment is a quick sync';
  return OK_DETAIL[check];
}
