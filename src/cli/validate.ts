import { readdir } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { createDirFiles, isAppConfigPath, verifyRepository, type CheckOutcome } from '../manifest/index.js';
import { CliError } from './errors.js';
import type { CliIo, Output } from './output.js';
import { flattenIssues, githubAnnotations, sarifLog } from './validate-formats.js';

export const VALIDATE_FORMATS = ['text', 'github', 'sarif'] as const;
export type ValidateFormat = (typeof VALIDATE_FORMATS)[number];

export interface ValidateOptions {
  dir: string;
  /** `text` (default) rows for people, `github` workflow annotations, `sarif` one SARIF 2.1.0 log on stdout. */
  format?: ValidateFormat;
  /** `--approvers`: the stack's allowlist, so an approval stage nobody may decide is NG, not WARN. */
  stackApprovers?: readonly string[];
}

/** `--approvers U1,U2`: comma-separated Slack user or group ids; empty for a stack with none. */
export function approverList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

const SKIP_DIRS = new Set(['.git', 'node_modules', '.stepcd']);

/**
 * `stepcd validate [dir]`: every app config under dir, one OK/NG/WARN/SKIP row per check, like
 * `ecspresso verify`. Exit 1 on any NG, so a pull request check fails on a broken manifest.
 */
export async function validateCommand(opts: ValidateOptions, out: Output, io: CliIo): Promise<number> {
  const root = resolve(io.cwd, opts.dir);
  const configs = await findAppConfigs(root);
  if (configs.length === 0) {
    throw new CliError(`no app config (app.pipecd.yaml or *.pipecd.yaml) under ${opts.dir}`, { hint: 'pass the directory that holds your apps' });
  }
  const files = createDirFiles(root);
  const results: CheckOutcome[] = [];
  const verified = await verifyRepository(files, configs, { stackApprovers: opts.stackApprovers });
  const format = opts.format ?? 'text';
  const text = format === 'text';
  for (const config of configs) {
    const outcomes = verified.get(config) ?? [];
    results.push(...outcomes.map((o) => ({ ...o, app: o.app || config })));
    if (text) out.line(out.paint('bold', config));
    if (text) for (const o of outcomes) printOutcome(out, o);
  }
  const failed = results.filter((r) => r.status === 'NG').length;
  // Annotations and SARIF name files from where the command runs: the checkout root in a workflow.
  const issues = flattenIssues(results, (file) => relative(io.cwd, join(root, file)).split(sep).join('/'));
  out.data({ ok: failed === 0, apps: configs.length, results, issues });
  if (format === 'sarif' && !out.json) {
    io.stdout.write(`${JSON.stringify(sarifLog(issues), null, 2)}\n`);
    return failed === 0 ? 0 : 1;
  }
  if (format === 'github') for (const line of githubAnnotations(issues)) out.line(line);
  out.line(failed === 0 ? out.paint('green', `${configs.length} app(s) OK`) : out.paint('red', `${failed} check(s) NG in ${configs.length} app(s)`));
  return failed === 0 ? 0 : 1;
}

function printOutcome(out: Output, o: CheckOutcome): void {
  const colour = o.status === 'OK' ? 'green' : o.status === 'NG' ? 'red' : o.status === 'WARN' ? 'yellow' : 'grey';
  const [first = '', ...rest] = (o.detail ?? '').split('\n');
  out.line(`  ${out.paint(colour, o.status.padEnd(4))} ${o.check.padEnd(18)} ${first}`);
  for (const line of rest) out.line(`  ${''.padEnd(4)} ${''.padEnd(18)} ${line}`);
}

/** Repo-relative, '/'-separated paths of app configs under root, sorted. */
export async function findAppConfigs(root: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(dir: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      throw new CliError(`cannot read ${dir}`, { hint: 'check the path', cause: err });
    }
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) await walk(join(dir, e.name));
      } else if (isAppConfigPath(e.name)) {
        found.push(relative(root, join(dir, e.name)).split(sep).join('/'));
      }
    }
  }
  await walk(root);
  return found.sort();
}
