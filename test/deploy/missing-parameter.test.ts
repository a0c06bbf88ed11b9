import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { offlineEnv, REPO_ROOT } from './support/package-offline.js';

const run = promisify(execFile);
const OSLS = join(REPO_ROOT, 'node_modules', 'osls', 'bin', 'serverless.js');

describe('serverless package without the required parameters', () => {
  it('stops before packaging and names each missing parameter with an example', async () => {
    const work = await mkdtemp(join(tmpdir(), 'stepcd-missing-param-'));
    const networkLog = join(work, 'network.log');
    await writeFile(networkLog, '');
    try {
      const failed = await run(process.execPath, [OSLS, 'package', '--stage', 'no-params', '--package', join(work, 'out')], {
        cwd: REPO_ROOT,
        env: offlineEnv(work, networkLog),
        timeout: 120_000,
      }).then(
        () => undefined,
        (e: { stdout?: string; stderr?: string }) => `${e.stdout ?? ''}${e.stderr ?? ''}`,
      );
      expect(failed, 'packaging succeeded without githubRepos, taskRoleArn and executionRoleArn').toBeDefined();
      for (const name of ['githubRepos', 'taskRoleArn', 'executionRoleArn']) {
        expect(failed).toContain(`missing deploy parameter "${name}"`);
        expect(failed).toContain(`--param="${name}=`);
      }
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }, 150_000);
});
