/** One validation problem, always tied to a file and a field path. */
export interface ManifestIssue {
  file: string;
  /** Dotted field path, e.g. `spec.pipeline.stages[2].with.scale`; empty for whole-file problems. */
  path: string;
  message: string;
  severity: 'error' | 'warning';
}

export function formatIssue(issue: ManifestIssue): string {
  return issue.path ? `${issue.file}: ${issue.path} ${issue.message}` : `${issue.file}: ${issue.message}`;
}

/** The named checks of `stepcd validate`; every issue belongs to exactly one. */
export const CHECKS = ['app config', 'service definition', 'task definition', 'image policy', 'target groups', 'pipeline'] as const;
export type CheckName = (typeof CHECKS)[number];

export interface TaggedIssue extends ManifestIssue {
  check: CheckName;
  /** Known only for syntax errors; other issues are located from their path (positions.ts). */
  line?: number;
  column?: number;
}

/** Collects every problem, so the user fixes a manifest in one round trip instead of one per error. */
export class IssueList {
  readonly items: TaggedIssue[] = [];
  /** Checks that could not run, with why (e.g. the file they read is missing). */
  readonly skipped = new Map<CheckName, string>();

  error(check: CheckName, file: string, path: string, message: string, at?: { line?: number; column?: number }): void {
    this.items.push({ check, file, path, message, severity: 'error', ...at });
  }

  warn(check: CheckName, file: string, path: string, message: string): void {
    this.items.push({ check, file, path, message, severity: 'warning' });
  }

  skip(check: CheckName, reason: string): void {
    if (!this.skipped.has(check)) this.skipped.set(check, reason);
  }

  hasErrors(check?: CheckName): boolean {
    return this.items.some((i) => i.severity === 'error' && (check === undefined || i.check === check));
  }
}

/** `['spec', 'pipeline', 'stages', 2, 'with']` → `spec.pipeline.stages[2].with`. */
export function fieldPath(base: string, ...segments: PropertyKey[]): string {
  let out = base;
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out ? `.${String(s)}` : String(s);
  }
  return out;
}

export function stripTag({ check: _check, line: _line, column: _column, ...issue }: TaggedIssue): ManifestIssue {
  return issue;
}
