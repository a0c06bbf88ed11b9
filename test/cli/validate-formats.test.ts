import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, runCli } from './support.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Issue {
  app: string;
  check: string;
  file: string;
  path: string;
  line: number;
  column: number;
  message: string;
  severity: string;
}

/**
 * The CI formats of `stepcd validate`: positions come from the YAML nodes of the field each issue
 * names, so the examples' known lines are asserted, not recomputed.
 */
describe('stepcd validate --json, --format github and --format sarif', () => {
  let cwd: string;

  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'stepcd-validate-formats-'));
    await cp(join(ROOT, 'examples/apps'), join(cwd, 'apps'), { recursive: true });
    const edit = async (file: string, from: string | RegExp, to: string) => {
      const path = join(cwd, 'apps', file);
      await writeFile(path, (await readFile(path, 'utf8')).replace(from, to));
    };
    // servicedef.yaml line 9 is `  type: EXTERNAL`; taskdef.yaml line 10 is `    image: …simple:1.0.0`.
    await edit('canary/servicedef.yaml', 'type: EXTERNAL', 'type: ECS');
    await edit('simple/taskdef.yaml', 'simple:1.0.0', 'simple:latest');
    await writeFile(join(cwd, 'apps/approval/taskdef.yaml'), 'family: approval\ncontainerDefinitions: [\n');
  });
  afterAll(async () => {
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('gives every --json issue its file, path, line and column as separate fields', async () => {
    const r = await runCli(['validate', 'apps', '--json', '--approvers', '*'], { cwd });
    expect(r.code).toBe(1);
    const { issues, results } = json<{ issues: Issue[]; results: { check: string; status: string; issues?: Issue[] }[] }>(r);
    expect(issues.map(({ message: _m, ...where }) => where)).toEqual([
      { app: 'approval', check: 'task definition', file: 'apps/approval/taskdef.yaml', path: '', line: 3, column: 1, severity: 'error' },
      {
        app: 'canary',
        check: 'service definition',
        file: 'apps/canary/servicedef.yaml',
        path: 'deploymentController.type',
        line: 9,
        column: 3,
        severity: 'error',
      },
      { app: 'simple', check: 'image policy', file: 'apps/simple/taskdef.yaml', path: 'containerDefinitions[0].image', line: 10, column: 5, severity: 'error' },
    ]);
    expect(issues[1]!.message).toBe('must be EXTERNAL');
    // Each NG row carries its own issues too, with files relative to the validated directory.
    const ng = results.find((x) => x.check === 'service definition' && x.status === 'NG');
    expect(ng?.issues?.[0]).toMatchObject({ file: 'canary/servicedef.yaml', line: 9, column: 3 });
  });

  it('prints one workflow annotation per issue with --format github, escaped, and exits 1', async () => {
    const r = await runCli(['validate', 'apps', '--format', 'github', '--approvers', '*'], { cwd });
    expect(r.code).toBe(1);
    const annotations = r.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations).toHaveLength(3);
    expect(annotations[1]).toBe(
      '::error file=apps/canary/servicedef.yaml,line=9,col=3,title=stepcd service definition::deploymentController.type must be EXTERNAL',
    );
    expect(annotations[2]).toMatch(
      /^::error file=apps\/simple\/taskdef\.yaml,line=10,col=5,title=stepcd image policy::containerDefinitions\[0\]\.image "registry\.example\.com\/simple:latest" uses the mutable tag latest/,
    );
    expect(annotations[0]).toMatch(/^::error file=apps\/approval\/taskdef\.yaml,line=3,col=1,/);
    // The human rows are not mixed into the log: annotations, then the summary.
    expect(r.stdout).not.toMatch(/^\s+OK\s/m);
    expect(r.stdout).toContain('3 check(s) NG in 6 app(s)');
  });

  it('prints a warning as ::warning at its line and exits 0 when nothing is NG', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stepcd-validate-warn-'));
    try {
      await cp(join(ROOT, 'examples/apps/canary'), join(dir, 'canary'), { recursive: true });
      const config = join(dir, 'canary/app.pipecd.yaml');
      // Line 32 is `          canary: 20`; with primary set too, canary is ignored (a warning).
      await writeFile(config, (await readFile(config, 'utf8')).replace('          canary: 20\n', '          canary: 20\n          primary: 70\n'));
      const r = await runCli(['validate', dir, '--format', 'github', '--approvers', '*'], { cwd: dir });
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n').filter((l) => l.startsWith('::'))).toEqual([
        '::warning file=canary/app.pipecd.yaml,line=32,col=11,title=stepcd pipeline::spec.pipeline.stages[1].with.canary is ignored because primary is set (canary gets 30)',
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('prints nothing but the summary when all is well', async () => {
    const ok = await runCli(['validate', join(ROOT, 'examples/apps'), '--format', 'github', '--approvers', '*'], { cwd });
    expect(ok.code).toBe(0);
    expect(ok.stdout.trim()).toBe('6 app(s) OK');
  });

  it('writes one SARIF 2.1.0 log with a rule per check and a region per issue', async () => {
    const r = await runCli(['validate', 'apps', '--format', 'sarif', '--approvers', '*'], { cwd });
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout) as {
      version: string;
      runs: { tool: { driver: { name: string; rules: { id: string }[] } }; results: Record<string, any>[] }[];
    };
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0]!;
    expect(run.tool.driver.name).toBe('stepcd');
    const rules = run.tool.driver.rules.map((x) => x.id);
    expect(rules).toContain('stepcd/service-definition');
    expect(run.results).toHaveLength(3);
    const service = run.results[1]!;
    expect(service).toEqual({
      ruleId: 'stepcd/service-definition',
      ruleIndex: rules.indexOf('stepcd/service-definition'),
      level: 'error',
      message: { text: 'canary: deploymentController.type must be EXTERNAL' },
      locations: [
        { physicalLocation: { artifactLocation: { uri: 'apps/canary/servicedef.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 9, startColumn: 3 } } },
      ],
    });
  });

  it('refuses an unknown --format with a usage error', async () => {
    const r = await runCli(['validate', 'apps', '--format', 'junit'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--format must be one of text, github, sarif');
  });
});

describe('githubAnnotations', () => {
  it('escapes %, CR and LF in the message, and also : and , in properties, as the runner reads them', async () => {
    const { githubAnnotations } = await import('../../src/cli/validate-formats.js');
    const [line] = githubAnnotations([
      {
        app: 'a',
        check: 'app config',
        file: 'odd,dir/a:b.yaml',
        path: 'spec.name',
        line: 2,
        column: 3,
        message: 'is 100% wrong\r\nsee docs',
        severity: 'error',
      },
    ]);
    expect(line).toBe('::error file=odd%2Cdir/a%3Ab.yaml,line=2,col=3,title=stepcd app config::spec.name is 100%25 wrong%0D%0Asee docs');
  });
});
