import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDashboard } from '../../src/cli/dashboard.js';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';

/**
 * The drift mark: the app list and the app page show what the drift check last recorded in
 * APP#<app>/DRIFT, here after a real check over the local cloud finds a service changed by hand.
 */
describe('dashboard drift mark', () => {
  let h: StackHarness;
  let dashboard: ReturnType<typeof localDashboard> | undefined;

  beforeAll(async () => {
    h = await startStackHarness({ dashboard: (req, res) => (dashboard ? dashboard.listener(req, res) : res.writeHead(503).end()) });
    dashboard = localDashboard(h.stack, { repoDir: h.repoDir, branch: 'main' });
    await h.deployBaseline(await exampleFiles(['simple', 'canary']), 'add simple and canary');
  });
  afterAll(async () => {
    dashboard?.close();
    await h?.stop();
  });

  const page = async (path: string) => {
    const res = await fetch(`${h.stack.front.url}${path}`);
    expect(res.status).toBe(200);
    return res.text();
  };
  /** The overview's table row of one app, markup included. */
  const rowOf = (body: string, app: string) => {
    const row = body.split('<tr').find((r) => r.includes(`href="/apps/${app}"`));
    if (!row) throw new Error(`no row for ${app}`);
    return row;
  };

  it('success: no mark before any check, In sync after one, Drifted with the count once the service is changed by hand', async () => {
    expect(rowOf(await page('/'), 'simple')).toContain('not checked');

    await h.stack.checkDrift(['simple', 'canary']);
    expect(rowOf(await page('/'), 'simple')).toContain('In sync');

    const ecs = new ECSClient(h.stack.cloud.clientConfigs.ecs);
    try {
      await ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'simple', desiredCount: 5 }));
    } finally {
      ecs.destroy();
    }
    await h.stack.checkDrift(['simple', 'canary']);
    const overview = await page('/');
    expect(rowOf(overview, 'simple')).toMatch(/<span class="badge tone-bad drift-mark">Drifted<\/span> 1 difference since/);
    // Only the drifted app is marked.
    expect(rowOf(overview, 'canary')).toContain('In sync');
    expect(rowOf(overview, 'canary')).not.toContain('Drifted');

    const app = await page('/apps/simple');
    expect(app).toContain('<dt>Drift</dt>');
    expect(app).toContain('Drifted');
    expect(app).toMatch(/<code>service\.desiredCount<\/code>: expected 2, found 5/);
  });
});
