import { CHECKS, type CheckOutcome, type LocatedIssue } from '../manifest/index.js';

/** One problem of `stepcd validate`, flat, with the file relative to where the command ran. */
export interface ValidateIssue extends LocatedIssue {
  app: string;
  check: string;
}

/** Every located issue of every NG or WARN row, with its file made relative to the workspace. */
export function flattenIssues(results: readonly CheckOutcome[], fileOf: (file: string) => string): ValidateIssue[] {
  return results.flatMap((r) => (r.issues ?? []).map((i) => ({ app: r.app, check: r.check, ...i, file: fileOf(i.file) })));
}

/**
 * GitHub Actions workflow commands, one per issue: `::error file=…,line=…,col=…,title=…::message`.
 * Values are escaped as the runner expects, so a message with a newline or a comma stays one annotation.
 */
export function githubAnnotations(issues: readonly ValidateIssue[]): string[] {
  return issues.map((i) => {
    const command = i.severity === 'error' ? 'error' : 'warning';
    const props = [`file=${escapeProperty(i.file)}`, `line=${i.line}`, `col=${i.column}`, `title=${escapeProperty(`stepcd ${i.check}`)}`];
    return `::${command} ${props.join(',')}::${escapeData(issueText(i))}`;
  });
}

function issueText(i: ValidateIssue): string {
  return i.path ? `${i.path} ${i.message}` : i.message;
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const TOOL_URI = 'https://github.com/stepcd/stepcd';

export function ruleId(check: string): string {
  return `stepcd/${check.replace(/\s+/g, '-')}`;
}

/**
 * A SARIF 2.1.0 log: one run, one rule per named check, one result per issue with its region.
 * Artifact URIs are relative to the checkout (`%SRCROOT%`), which is what code scanning expects.
 */
export function sarifLog(issues: readonly ValidateIssue[]): Record<string, unknown> {
  const rules = CHECKS.map((check) => ({ id: ruleId(check), name: pascal(check), shortDescription: { text: `stepcd validate: ${check}` } }));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'stepcd', informationUri: TOOL_URI, rules } },
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'the directory stepcd validate ran in' } } },
        results: issues.map((i) => ({
          ruleId: ruleId(i.check),
          ruleIndex: CHECKS.indexOf(i.check as (typeof CHECKS)[number]),
          level: i.severity === 'error' ? 'error' : 'warning',
          message: { text: `${i.app}: ${issueText(i)}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(i.file), uriBaseId: '%SRCROOT%' },
                region: { startLine: i.line, startColumn: i.column },
              },
            },
          ],
        })),
      },
    ],
  };
}

function pascal(words: string): string {
  return words
    .split(' ')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}
