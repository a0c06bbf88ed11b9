import type { PlanReport } from '../../plan/preview.js';
import { formatChange } from '../../plan/diff.js';
import type { LocatedIssue } from '../../manifest/index.js';

/** What the check found for one app the pull request changes. */
export interface AppCheck {
  configPath: string;
  app: string;
  ok: boolean;
  issues: LocatedIssue[];
  plan?: PlanReport;
  /** Why no plan (invalid manifest, or the live service could not be read). */
  planNote?: string;
}

/** The hidden marker that finds stepcd's comment again, so it is updated in place. */
export const COMMENT_MARKER = '<!-- stepcd:pull-request -->';
/** GitHub takes at most 50 annotations per Check Runs request. */
export const MAX_ANNOTATIONS = 50;
/** GitHub's limit on a check run summary and on a comment body is 65535 characters. */
const MAX_BODY = 60_000;

export function conclusionOf(apps: readonly AppCheck[]): 'success' | 'failure' {
  return apps.every((a) => a.ok) ? 'success' : 'failure';
}

export function titleOf(apps: readonly AppCheck[]): string {
  const failed = apps.filter((a) => !a.ok).length;
  if (apps.length === 0) return 'no app changed';
  return failed === 0 ? `${apps.length} app(s) valid` : `${failed} of ${apps.length} app(s) invalid`;
}

/** Pure: the Markdown plan preview, the same in the check summary and the comment. */
export function summaryMarkdown(apps: readonly AppCheck[], headSha: string): string {
  const lines = [`**stepcd** at \`${headSha.slice(0, 7)}\`: ${titleOf(apps)}. A pull request never deploys; this is what a merge would do.`, ''];
  for (const a of apps) {
    lines.push(`### ${a.ok ? '✅' : '❌'} ${a.app} (\`${a.configPath}\`)`);
    for (const i of a.issues)
      lines.push(`- ${i.severity === 'error' ? '**error**' : 'warning'} \`${i.file}:${i.line}:${i.column}\` ${i.path ? `\`${i.path}\` ` : ''}${i.message}`);
    if (a.plan) {
      const p = a.plan;
      lines.push(
        '',
        `Strategy **${p.strategy}**${p.service.exists || p.standalone ? '' : ' (the service does not exist yet)'}: ${p.stages.map((s) => s.name).join(' → ')}`,
        '',
      );
      const changes = [
        ...(p.standalone
          ? [`standalone task: no service; each deployment runs it once in ${p.standalone.cluster}`]
          : p.service.exists
            ? p.service.changes.map((c) => `service ${formatChange(c)}`)
            : ['service: will be created']),
        ...(p.taskDefinition.liveArn ? p.taskDefinition.changes.map((c) => `task definition ${formatChange(c)}`) : ['task definition: will be registered']),
      ];
      lines.push('```diff', ...(changes.length > 0 ? changes : ['no changes to the service or the task definition']), '```');
    } else if (a.planNote) {
      lines.push('', `No plan: ${a.planNote}`);
    }
    lines.push('');
  }
  const text = lines.join('\n');
  return text.length > MAX_BODY ? `${text.slice(0, MAX_BODY)}\n\n… (cut at ${MAX_BODY} characters)` : text;
}

/** Check Run annotations at file and line, errors as `failure`, warnings as `warning`. */
export function annotationsOf(apps: readonly AppCheck[]) {
  return apps
    .flatMap((a) => a.issues)
    .slice(0, MAX_ANNOTATIONS)
    .map((i) => ({
      path: i.file,
      start_line: i.line,
      end_line: i.line,
      // GitHub accepts columns only when the annotation stays on one line.
      start_column: i.column,
      end_column: i.column,
      annotation_level: i.severity === 'error' ? ('failure' as const) : ('warning' as const),
      title: i.path || i.file,
      message: i.message,
    }));
}
