import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLocalEndpoints } from '../../src/cli/local-state.js';
import type { DeploymentRecord } from '../../src/domain/deployment.js';
import { initRepo, writeAndCommit } from '../../src/local/git-repo.js';
import { exampleFiles } from '../support/examples.js';
import { json, runCli } from './support.js';
import { waitFor } from '../support/waits.js';

describe('stepcd local', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('deploys a local commit by sending itself the push webhook, and serves --local commands from another "terminal"', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'stepcd-local-'));
    const repoDir = join(cwd, 'manifests');
    dirs.push(cwd);
    await initRepo(repoDir);
    await writeAndCommit(repoDir, { 'README.md': '# manifests\n' }, 'initial');

    const controller = new AbortController();
    const running = runCli(['local', 'manifests'], { cwd, signal: controller.signal });
    try {
      const endpoints = await waitFor('.stepcd/local.json', () => readLocalEndpoints(cwd).catch(() => undefined), { everyMs: 25 });
      expect(endpoints.webhookUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhooks\/github$/);

      await writeAndCommit(repoDir, await exampleFiles(['simple']), 'add simple');
      const done = await waitFor(
        'simple deployed',
        async () => {
          const r = await runCli(['deployments', 'list', '--app', 'simple', '--local', '--json'], { cwd });
          const [latest] = json<{ deployments: DeploymentRecord[] }>(r).deployments;
          return latest?.status === 'SUCCESS' ? latest : undefined;
        },
        { everyMs: 25 },
      );
      expect(done.strategy).toBe('QUICK_SYNC');
      expect(done.commit.message).toBe('add simple');

      // The dashboard lists the repository's apps with their last deployments, each with its own page.
      const page = await fetch(`${endpoints.frontUrl}/`);
      expect(page.status).toBe(200);
      const text = await page.text();
      expect(text).toContain('Nothing is deploying right now.');
      expect(text).toContain(`<a href="/deployments/${done.deploymentId}">${done.deploymentId}</a>`);
      const deployment = await fetch(`${endpoints.frontUrl}/deployments/${done.deploymentId}`);
      expect(deployment.status).toBe(200);
      expect(await deployment.text()).toContain('Succeeded');
    } finally {
      controller.abort();
    }
    const result = await running;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`secret        ${'local-webhook-secret'}`);
    expect(result.stdout).toMatch(/push \w{7}\.\.\w{7} → webhook\n/);
    expect(result.stdout).toMatch(/simple: STARTED d-\w+/);
    expect(result.stdout).toMatch(/\[event\] DEPLOYMENT_TRIGGERED simple d-\w+ PENDING/);
    // Stopping removes the endpoints file, so --local commands cannot reach a dead stack; history stays.
    await expect(readLocalEndpoints(cwd)).rejects.toThrow(/no local stack found/);
    await access(join(cwd, '.stepcd', 'dynamo'));
  });
});
