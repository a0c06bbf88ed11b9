import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, runCli } from './support.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface ValidateJson {
  ok: boolean;
  apps: number;
  results: { app: string; check: string; status: string; detail?: string }[];
}

describe('stepcd validate', () => {
  let broken: string;

  beforeAll(async () => {
    broken = await mkdtemp(join(tmpdir(), 'stepcd-validate-'));
    await cp(join(ROOT, 'examples/apps'), broken, { recursive: true });
    const servicedef = join(broken, 'canary/servicedef.yaml');
    await writeFile(servicedef, (await readFile(servicedef, 'utf8')).replace('type: EXTERNAL', 'type: ECS'));
    const taskdef = join(broken, 'simple/taskdef.yaml');
    await writeFile(taskdef, (await readFile(taskdef, 'utf8')).replace(/simple:1\.0\.0/, 'simple:latest'));
  });
  afterAll(async () => {
    await rm(broken, { recursive: true, force: true });
  });

  it('prints an OK row for every check of every example app and exits 0', async () => {
    const r = await runCli(['validate', 'examples/apps', '--approvers', 'U0ALICE'], { cwd: ROOT });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('canary/app.pipecd.yaml');
    expect(r.stdout.match(/^\s+OK\s/gm)).toHaveLength(36);
    expect(r.stdout).not.toMatch(/\bNG\b/);
    expect(r.stdout).toContain('6 app(s) OK');
  });

  describe('an approval stage that names no approvers (ARCHITECTURE §10)', () => {
    it('warns when the stack allowlist is not given: the stack decides', async () => {
      const r = await runCli(['validate', 'examples/apps', '--json'], { cwd: ROOT });
      expect(r.code).toBe(0);
      const warned = json<ValidateJson>(r).results.filter((x) => x.status === 'WARN');
      expect(warned.map((x) => `${x.app}:${x.check}`)).toEqual(['bluegreen:pipeline', 'canary:pipeline']);
      expect(warned[1]?.detail).toMatch(/app\.pipecd\.yaml: spec\.pipeline\.stages\[\d\]\.with\.approvers .*--approvers/);
    });

    it('is NG against a stack with no allowlist, naming the file and field', async () => {
      const r = await runCli(['validate', 'examples/apps', '--approvers', '', '--json'], { cwd: ROOT });
      expect(r.code).toBe(1);
      const ng = json<ValidateJson>(r).results.filter((x) => x.status === 'NG');
      expect(ng.map((x) => `${x.app}:${x.check}`)).toEqual(['bluegreen:pipeline', 'canary:pipeline']);
      expect(ng[0]?.detail).toMatch(/app\.pipecd\.yaml: spec\.pipeline\.stages\[\d\]\.with\.approvers is empty and the stack has no approver allowlist/);
    });

    it("is OK when the stage says approvers: ['*'], whatever the stack", async () => {
      const dir = await mkdtemp(join(tmpdir(), 'stepcd-validate-anyone-'));
      try {
        await cp(join(ROOT, 'examples/apps/canary'), join(dir, 'canary'), { recursive: true });
        const config = join(dir, 'canary/app.pipecd.yaml');
        await writeFile(config, (await readFile(config, 'utf8')).replace('timeout: 30m', "timeout: 30m\n          approvers: ['*']"));
        const r = await runCli(['validate', dir, '--approvers', '', '--json'], { cwd: ROOT });
        expect(json<ValidateJson>(r).results.filter((x) => x.status !== 'OK')).toEqual([]);
        expect(r.code).toBe(0);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  it('prints NG rows naming the file and field, and exits 1, when a manifest is broken', async () => {
    const r = await runCli(['validate', broken], { cwd: ROOT });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/NG\s+service definition\s+.*servicedef\.yaml: deploymentController\.type/);
    expect(r.stdout).toMatch(/NG\s+image policy\s+.*latest/);
    expect(r.stdout).toContain('2 check(s) NG in 6 app(s)');
  });

  it('reports the same outcome as one JSON document with --json', async () => {
    const r = await runCli(['validate', broken, '--json'], { cwd: ROOT });
    expect(r.code).toBe(1);
    const body = json<ValidateJson>(r);
    expect(body.ok).toBe(false);
    expect(body.apps).toBe(6);
    const ng = body.results.filter((x) => x.status === 'NG').map((x) => `${x.app}:${x.check}`);
    expect(ng).toEqual(['canary:service definition', 'simple:image policy']);
  });

  it('accepts an ANALYSIS stage over CloudWatch alarms, and names a PipeCD analysis option it refuses', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stepcd-validate-analysis-'));
    try {
      await cp(join(ROOT, 'examples/apps/canary'), join(dir, 'canary'), { recursive: true });
      const config = join(dir, 'canary/app.pipecd.yaml');
      const original = await readFile(config, 'utf8');
      const analysis = 'name: ANALYSIS\n        with:\n          duration: 10m\n          alarms: [web-5xx-rate]';
      await writeFile(config, original.replace(/name: WAIT_APPROVAL\n\s+with:\n\s+timeout: 30m/, analysis));
      const ok = await runCli(['validate', dir], { cwd: ROOT });
      expect(ok.stdout).toMatch(/OK\s+pipeline/);
      expect(ok.code).toBe(0);

      await writeFile(config, original.replace(/name: WAIT_APPROVAL\n\s+with:\n\s+timeout: 30m/, `${analysis}\n          metrics: []`));
      const ng = await runCli(['validate', dir], { cwd: ROOT });
      expect(ng.code).toBe(1);
      expect(ng.stdout).toMatch(/NG\s+pipeline\s+.*with\.metrics is not supported by stepcd; use with\.alarms \(CloudWatch alarm names\)/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('knows standalone-task apps: no service definition check to run, and a missing clusterArn is NG naming the field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stepcd-validate-standalone-'));
    try {
      const config = [
        'apiVersion: pipecd.dev/v1beta1',
        'kind: ECSApp',
        'spec:',
        '  name: migrate',
        '  input:',
        '    taskDefinitionFile: taskdef.yaml',
        '    clusterArn: arn:aws:ecs:us-east-1:000000000000:cluster/demo',
        '    awsvpcConfiguration:',
        '      subnets: [subnet-a]',
        '',
      ].join('\n');
      const taskdef = 'family: migrate\nnetworkMode: awsvpc\ncontainerDefinitions:\n  - name: migrate\n    image: registry.example.com/migrate:1.0.0\n';
      await writeFile(join(dir, 'app.pipecd.yaml'), config);
      await writeFile(join(dir, 'taskdef.yaml'), taskdef);
      const ok = await runCli(['validate', dir, '--json'], { cwd: ROOT });
      expect(ok.code).toBe(0);
      const rows = json<ValidateJson>(ok).results.map((x) => `${x.check}:${x.status}`);
      expect(rows).toContain('service definition:SKIP');
      expect(rows).toContain('app config:OK');

      await writeFile(join(dir, 'app.pipecd.yaml'), config.replace(/ {4}clusterArn: .*\n/, ''));
      const ng = await runCli(['validate', dir], { cwd: ROOT });
      expect(ng.code).toBe(1);
      expect(ng.stdout).toMatch(/NG\s+app config\s+.*spec\.input\.clusterArn is required for a standalone task/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails with one line that says what to do when the directory holds no app', async () => {
    const r = await runCli(['validate', 'src/cli'], { cwd: ROOT });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('no app config');
  });
});
