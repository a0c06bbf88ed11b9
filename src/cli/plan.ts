import { basename, dirname, resolve } from 'node:path';
import { readdir } from 'node:fs/promises';
import { formatIssue } from '../manifest/issues.js';
import { createDirFiles, isAppConfigPath, loadApp } from '../manifest/index.js';
import { formatChange, type FieldChange } from '../plan/diff.js';
import { planApp, type PlanReport } from '../plan/preview.js';
import type { Target } from './context.js';
import { CliError } from './errors.js';
import type { CliIo, Output } from './output.js';

/**
 * `stepcd plan <app-dir>`: what a push of this directory would do to the live service. Read-only:
 * it describes the service and its PRIMARY task set's task definition, diffs them against the
 * manifest, and names the strategy the planner would choose.
 */
export async function planCommand(opts: { appDir: string }, target: Target, out: Output, io: CliIo): Promise<number> {
  const { root, configFile } = await locateConfig(resolve(io.cwd, opts.appDir));
  const loaded = await loadApp(createDirFiles(root), configFile);
  if (!loaded.ok) {
    const errors = loaded.issues.filter((i) => i.severity === 'error');
    throw new CliError(`the manifest is invalid: ${errors.map(formatIssue).join('; ')}`, { hint: `run \`stepcd validate ${opts.appDir}\`` });
  }
  const report = await planApp(loaded.app, target.liveEcs);
  out.data(report);
  printReport(report, out, target.label);
  return 0;
}

function printReport(r: PlanReport, out: Output, label: string): void {
  out.line(`app ${out.paint('bold', r.app)} on ${label}`);
  const firstDeploy = r.service.exists || r.standalone ? '' : ' (the service does not exist yet: a first deployment quick-syncs)';
  out.line(`strategy: ${r.strategy}${firstDeploy}`);
  for (const s of r.stages) out.line(`  ${s.index}. ${s.name}${Object.keys(s.with as object).length > 0 ? ` ${JSON.stringify(s.with)}` : ''}`);
  out.line();
  if (r.standalone) out.line(`standalone task: no service; each deployment runs the task once in ${r.standalone.cluster}`);
  else if (!r.service.exists) out.line(out.paint('green', 'service: will be created'));
  else if (r.service.changes.length === 0) out.line('service: no changes');
  else {
    out.line('service:');
    for (const c of r.service.changes) out.line(`  ${colourFor(out, c)}`);
  }
  if (!r.taskDefinition.liveArn) out.line(out.paint('green', 'task definition: will be registered (nothing live yet)'));
  else if (r.taskDefinition.changes.length === 0) out.line(`task definition: no changes from ${r.taskDefinition.liveArn}`);
  else {
    out.line(`task definition (live ${r.taskDefinition.liveArn}):`);
    for (const c of r.taskDefinition.changes) out.line(`  ${colourFor(out, c)}`);
  }
}

function colourFor(out: Output, c: FieldChange): string {
  return out.paint(c.op === '+' ? 'green' : c.op === '-' ? 'red' : 'yellow', formatChange(c));
}

/** An app directory (its app.pipecd.yaml, else its one `*.pipecd.yaml`), or a config file itself. */
async function locateConfig(path: string): Promise<{ root: string; configFile: string }> {
  if (isAppConfigPath(basename(path))) return { root: dirname(path), configFile: basename(path) };
  let names: string[];
  try {
    names = await readdir(path);
  } catch (err) {
    throw new CliError(`cannot read app directory ${path}`, { hint: 'pass the directory holding app.pipecd.yaml', cause: err });
  }
  const configs = names.filter((n) => isAppConfigPath(n)).sort();
  const chosen = configs.includes('app.pipecd.yaml') ? 'app.pipecd.yaml' : configs.length === 1 ? configs[0] : undefined;
  if (!chosen) {
    throw new CliError(configs.length === 0 ? `no app.pipecd.yaml in ${path}` : `several app configs in ${path}: ${configs.join(', ')}`, {
      hint: configs.length === 0 ? 'pass the directory holding app.pipecd.yaml' : 'pass the config file itself',
    });
  }
  return { root: path, configFile: chosen };
}
