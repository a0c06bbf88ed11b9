import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDashboard } from '../../src/cli/dashboard.js';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { collectErrors, horizontalOverflow, launchBrowser, SCREENSHOT_DIR, seriousViolations, type Browser } from './browser.js';

/** The viewer, as STS names an assumed role; the canary's approval stage lists exactly this ARN. */
const VIEWER = 'arn:aws:sts::000000000000:assumed-role/deployers/alice';

/**
 * The dashboard `stepcd local` serves, in headless Chromium, over a real local stack: the canary
 * example waits for approval with 20% of traffic on the canary, and the Approve button in the page
 * resumes the execution.
 */
describe('dashboard in a browser', () => {
  let h: StackHarness;
  let dashboard: ReturnType<typeof localDashboard> | undefined;
  let browser: Browser;
  let waiting: { id: string; arn: string };

  beforeAll(async () => {
    h = await startStackHarness({
      callerArn: VIEWER,
      dashboard: (req, res) => (dashboard ? dashboard.listener(req, res) : res.writeHead(503).end()),
    });
    dashboard = localDashboard(h.stack, { repoDir: h.repoDir, branch: 'main' });
    const files = await exampleFiles(['canary', 'simple']);
    files['apps/canary/app.pipecd.yaml'] = files['apps/canary/app.pipecd.yaml']!.replace(
      '      - name: WAIT_APPROVAL\n        with:\n',
      `      - name: WAIT_APPROVAL\n        with:\n          approvers: ["${VIEWER}"]\n`,
    );
    await h.deployBaseline(files, 'add canary and simple');
    waiting = await h.deploy(await h.imageBump('canary', '2.0.0'), 'canary: 2.0.0');
    await h.waitForStatus(waiting.id, 'WAITING_APPROVAL');
    browser = await launchBrowser();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    dashboard?.close();
    await h?.stop();
  });

  async function open(path: string, width = 1280): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width, height: 900 });
    const errors = collectErrors(page);
    await page.goto(`${h.stack.front.url}${path}`);
    // The first visit re-renders <main> in the browser's zone; wait for that to land.
    await page.locator('main time').first().waitFor();
    await page.waitForFunction(`!document.querySelector('main time')?.textContent?.endsWith('UTC')`);
    return { page, errors };
  }

  it('the accessibility check can fail: an unlabelled button and low contrast are reported', async () => {
    const page = await browser.context.newPage();
    await page.setContent('<html lang="en"><title>t</title><main><button></button><p style="color:#ccc;background:#fff">faint</p></main></html>');
    expect((await seriousViolations(page)).map((v) => v.id).sort()).toEqual(['button-name', 'color-contrast']);
    await page.close();
  });

  it('overview: every app with its live version and the deployment in progress, no console errors, no serious axe violation', async () => {
    const { page, errors } = await open('/');
    await expect(page.getByRole('heading', { level: 1, name: 'Apps' }).isVisible()).resolves.toBe(true);
    const inProgress = page.getByRole('table', { name: /in progress/ });
    await expect(inProgress.getByRole('link', { name: waiting.id }).isVisible()).resolves.toBe(true);
    await expect(inProgress.getByText('Waiting for approval').isVisible()).resolves.toBe(true);
    const apps = page.getByRole('table', { name: /Every app/ });
    await expect(apps.getByRole('link', { name: 'canary', exact: true }).isVisible()).resolves.toBe(true);
    await expect(apps.getByRole('link', { name: 'simple', exact: true }).isVisible()).resolves.toBe(true);
    // Local time in the browser's zone, the UTC instant on hover.
    const stamp = page.locator('main time').first();
    expect(await stamp.getAttribute('title')).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    const at = new Date((await stamp.getAttribute('datetime'))!);
    const paris = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', dateStyle: 'medium', timeStyle: 'medium' }).format(at);
    await expect(stamp.textContent()).resolves.toBe(paris);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'overview.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('deployment page: commit, stage timeline, live weights and task sets, the viewer as actor', async () => {
    const { page, errors } = await open(`/deployments/${waiting.id}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('canary');
    const record = await h.stack.core.history.getDeployment(waiting.id);
    await expect(page.getByText(record!.commit.message.split('\n')[0]!).first().isVisible()).resolves.toBe(true);
    const stages = page.getByRole('table', { name: 'Stage timeline' });
    await expect(stages.getByRole('row').count()).resolves.toBe(7);
    await expect(
      stages
        .getByRole('row', { name: /ECS_TRAFFIC_ROUTING/ })
        .first()
        .textContent(),
    ).resolves.toContain('Succeeded');
    const weights = page.getByRole('table', { name: /Traffic weights/ });
    await expect(weights.getByRole('cell', { name: '20%' }).first().isVisible()).resolves.toBe(true);
    await expect(weights.getByRole('cell', { name: '80%' }).first().isVisible()).resolves.toBe(true);
    const taskSets = page.getByRole('table', { name: 'Task sets' });
    // The canary task set runs the new revision at its 30% scale; the primary keeps the old one.
    const canaryRow = taskSets.getByRole('row').filter({ has: page.getByRole('cell', { name: 'Canary', exact: true }) });
    await expect(canaryRow.textContent()).resolves.toMatch(/canary:2\s*30%/);
    const primaryRow = taskSets.getByRole('row').filter({ has: page.getByRole('cell', { name: 'Primary', exact: true }) });
    await expect(primaryRow.textContent()).resolves.toMatch(/canary:1\s*100%/);
    await expect(page.getByText(`You act as ${VIEWER}.`).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('textbox', { name: 'Reason (optional)' }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'deployment-waiting.png'), fullPage: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'deployment-waiting-top.png') });
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('fits a 360 px phone without sideways scrolling, on every page', async () => {
    for (const [path, name] of [
      ['/', 'overview-360.png'],
      [`/deployments/${waiting.id}`, 'deployment-360.png'],
      ['/apps/canary', 'app-history-360.png'],
    ] as const) {
      const { page, errors } = await open(path, 360);
      expect({ path, overflow: await horizontalOverflow(page) }).toEqual({ path, overflow: 0 });
      await page.screenshot({ path: join(SCREENSHOT_DIR, name), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('app history: every deployment of the app, newest first', async () => {
    const { page, errors } = await open('/apps/canary');
    const rows = page.getByRole('table', { name: /deployments, newest first/ }).getByRole('row');
    await expect(rows.count()).resolves.toBe(3);
    await expect(rows.nth(1).textContent()).resolves.toContain(waiting.id);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'app-history.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Reject and Cancel ask first; saying no sends nothing and the deployment keeps waiting', async () => {
    const { page, errors } = await open(`/deployments/${waiting.id}`);
    const posts: string[] = [];
    page.on('request', (req) => {
      if (req.method() === 'POST') posts.push(req.url());
    });
    const asked: string[] = [];
    page.on('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByRole('button', { name: 'Reject' }).click();
    await page.getByRole('button', { name: 'Cancel deployment' }).click();
    // Let one live refresh go by, so a request sent anyway would have been seen.
    await page.waitForRequest((req) => req.method() === 'GET' && req.url().endsWith(`/deployments/${waiting.id}`));
    expect(asked).toEqual(['Reject this deployment? It rolls back.', 'Cancel this deployment? It rolls back.']);
    expect(posts).toEqual([]);
    expect((await h.stack.core.history.getDeployment(waiting.id))?.status).toBe('WAITING_APPROVAL');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('Approve in the page resumes the execution, records the viewer, and the page follows it to the end without a reload', async () => {
    const { page, errors } = await open(`/deployments/${waiting.id}`);
    await page.evaluate('window.notReloaded = true');
    await page.getByRole('button', { name: 'Approve' }).click();

    const run = await h.stack.cloud.sfn.waitForExecution(waiting.arn, { timeoutMs: 30_000 });
    expect(run.status).toBe('SUCCEEDED');
    // The deployment's own status, beside its id under the heading.
    await page.locator('main p.lead').getByText('Succeeded', { exact: true }).waitFor({ timeout: 15_000 });
    await expect(page.getByRole('button', { name: 'Approve' }).count()).resolves.toBe(0);
    const approvals = page.getByRole('table', { name: /Who decided/ });
    await expect(approvals.getByRole('cell', { name: VIEWER }).isVisible()).resolves.toBe(true);
    expect(await page.evaluate('window.notReloaded')).toBe(true);

    const record = await h.stack.core.history.getDeployment(waiting.id);
    expect(record?.status).toBe('SUCCESS');
    expect(record?.approvals).toEqual([expect.objectContaining({ user: VIEWER, decision: 'APPROVE', via: 'api' })]);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'deployment-succeeded.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
