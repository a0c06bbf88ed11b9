import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initRepo, writeAndCommit } from '../../src/local/git-repo.js';
import { runCli } from './support.js';

/**
 * The target defaults as commands see them. Each case stops before any AWS call (no network in
 * tests): which error a command gives shows which stage and region it resolved.
 */
describe('target defaults: STEPCD_STAGE, STEPCD_REGION and .stepcd', () => {
  let root: string;
  let cwd: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'stepcd-target-'));
    cwd = join(root, 'apps');
    await mkdir(cwd);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('fail: no flag, variable or file is no target', async () => {
    const r = await runCli(['deployments', 'list'], { cwd, env: {} });

    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no target: say which stack to use');
  });

  it('success: a .stepcd stage in a parent folder picks the AWS stack, which then needs a region', async () => {
    await writeFile(join(root, '.stepcd'), 'stage: prod\n');

    const r = await runCli(['deployments', 'list'], { cwd, env: {} });

    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no AWS region');
  });

  it('success: STEPCD_STAGE picks it too', async () => {
    const r = await runCli(['status', 'canary'], { cwd, env: { STEPCD_STAGE: 'prod' } });

    expect(r.stderr).toContain('no AWS region');
  });

  it('success: --local takes neither the file nor the environment', async () => {
    await writeFile(join(root, '.stepcd'), 'stage: prod\nregion: eu-west-1\n');

    const r = await runCli(['deployments', 'list', '--local'], { cwd, env: { STEPCD_STAGE: 'prod', STEPCD_REGION: 'eu-west-1' } });

    expect(r.code).toBe(1);
    expect(r.stderr).toContain('start one with `stepcd local`');
  });

  it('fail: a misspelt key in .stepcd is an error naming the file', async () => {
    await writeFile(join(root, '.stepcd'), 'stgae: prod\n');

    const r = await runCli(['deployments', 'list'], { cwd, env: {} });

    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(join(root, '.stepcd'));
    expect(r.stderr).toContain('stgae');
  });

  it('fail: stepcd local where .stepcd is the defaults file says to move the file, before starting anything', async () => {
    const repoDir = join(cwd, 'manifests');
    await initRepo(repoDir);
    await writeAndCommit(repoDir, { 'README.md': '# manifests\n' }, 'initial');
    await writeFile(join(cwd, '.stepcd'), 'stage: prod\n');

    const r = await runCli(['local', 'manifests'], { cwd, env: {} });

    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('is a file, where stepcd local keeps its state folder');
    expect(r.stderr).toContain('move the .stepcd defaults file to a parent folder');
  });

  it('success: encrypt reads the defaults too', async () => {
    await writeFile(join(root, '.stepcd'), 'stage: prod\n');

    const r = await runCli(['encrypt'], { cwd, env: {}, stdin: 'x' });

    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no AWS region');
  });
});
