import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointsOf, writeLocalEndpoints } from '../../src/cli/local-state.js';
import { run } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/output.js';
import { LOCAL_CALLER_ARN } from '../../src/local/sts/index.js';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { waitFor } from '../support/waits.js';

/**
 * `stepcd dashboard --local`: the command path users take with `--stage` on AWS (Target, STS caller,
 * the table's app list, live reads over the SDK clients), here against a local stack's endpoints.
 */
describe('stepcd dashboard', () => {
  let h: StackHarness;
  let cwd: string;
  let url: string;
  let port: number;
  const controller = new AbortController();
  let command: Promise<number>;
  let waiting: { id: string; arn: string };
  let finished: string;

  beforeAll(async () => {
    h = await startStackHarness();
    cwd = await mkdtemp(join(tmpdir(), 'stepcd-dashboard-'));
    await writeLocalEndpoints(cwd, endpointsOf(h.stack, { repoDir: h.repoDir, pid: process.pid }));
    const files = await exampleFiles(['canary']);
    files['apps/canary/app.pipecd.yaml'] = files['apps/canary/app.pipecd.yaml']!.replace(
      '      - name: WAIT_APPROVAL\n        with:\n',
      `      - name: WAIT_APPROVAL\n        with:\n          approvers: ["${LOCAL_CALLER_ARN}"]\n`,
    );
    const baseline = await h.deployBaseline(files, 'add canary');
    finished = baseline.apps![0]!.deploymentId;
    waiting = await h.deploy(await h.imageBump('canary', '2.0.0'), 'canary 2.0.0');
    await h.waitForStatus(waiting.id, 'WAITING_APPROVAL');

    let stdout = '';
    const io: CliIo = {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: () => undefined },
      isTTY: false,
      cwd,
      env: {},
      signal: controller.signal,
    };
    command = run(['dashboard', '--local', '--port', '0'], io);
    url = await waitFor('the dashboard URL', async () => /open (http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout)?.[1]);
    port = Number(new URL(url).port);
  }, 60_000);

  afterAll(async () => {
    controller.abort();
    await command;
    await h?.stop();
    await rm(cwd, { recursive: true, force: true });
  });

  const post = (path: string, form: Record<string, string>, headers: Record<string, string> = { origin: url }) =>
    fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form) });

  it('lists the apps the history table knows and links each deployment to its page', async () => {
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const text = await page.text();
    expect(text).toContain('<a href="/apps/canary">canary</a>');
    expect(text).toContain(`<a href="/deployments/${waiting.id}">${waiting.id}</a>`);
    expect(text).toContain(`local stack at ${h.stack.front.url}`);
    // On AWS there is no repository to read app names from: the table's app-state items are the list.
    expect(await h.stack.core.history.listApps()).toEqual(['canary']);
  });

  it('answers a live refresh with <main> alone, and tells htmx to stop polling a finished deployment', async () => {
    const running = await fetch(`${url}/deployments/${waiting.id}`, { headers: { 'hx-request': 'true' } });
    expect(running.status).toBe(200);
    const fragment = await running.text();
    expect(fragment.startsWith('<main id="main"')).toBe(true);
    expect(fragment).toContain(`You act as <code>${LOCAL_CALLER_ARN}</code>`);
    const done = await fetch(`${url}/deployments/${finished}`, { headers: { 'hx-request': 'true' } });
    expect(done.status).toBe(286);
    expect(await done.text()).toContain('Succeeded');
  });

  it('says plainly when a deployment does not exist', async () => {
    const page = await fetch(`${url}/deployments/d-nope`);
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('There is no deployment d-nope');
  });

  it('refuses a foreign Host (DNS rebinding) and a cross-site form post, changing nothing', async () => {
    // fetch will not send another Host; a plain HTTP request can, as a rebinding page's would.
    const rebound = await new Promise<number | undefined>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/', headers: { host: `evil.example:${port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      })
        .on('error', reject)
        .end();
    });
    expect(rebound).toBe(421);
    const forged = await post(`/deployments/${waiting.id}/approve`, {}, { origin: 'https://evil.example' });
    expect(forged.status).toBe(403);
    const record = await h.stack.core.history.getDeployment(waiting.id);
    expect(record?.status).toBe('WAITING_APPROVAL');
    expect(record?.approvals).toEqual([]);
  });

  it('asks before cancelling, then cancels as the viewer: the waiting approval fails and the deployment rolls back', async () => {
    const question = await post(`/deployments/${waiting.id}/cancel`, {});
    expect(question.status).toBe(200);
    expect(await question.text()).toContain('Yes, cancel it');
    expect((await h.stack.core.history.getDeployment(waiting.id))?.cancelRequested).toBeFalsy();

    const answer = await post(`/deployments/${waiting.id}/cancel`, { confirm: 'yes' });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain(`cancel requested for deployment ${waiting.id}`);
    const run = await h.stack.cloud.sfn.waitForExecution(waiting.arn, { timeoutMs: 30_000 });
    expect(run.status).not.toBe('RUNNING');
    const approval = await h.stack.core.history.getApproval(waiting.id, 2);
    expect(approval).toMatchObject({ status: 'CANCELLED', closedBy: LOCAL_CALLER_ARN });
    const record = await h.waitForStatus(waiting.id, 'CANCELLED');
    expect(record.cancelRequested).toBe(true);

    // The page says how it ended, in the record's words, and offers no action any more.
    const ended = await (await fetch(`${url}/deployments/${waiting.id}`)).text();
    expect(record.reason).toBeTruthy();
    expect(ended).toContain(
      `<strong>Why:</strong> ${record.reason!.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')}`,
    );
    expect(ended).toContain('Cancelled');
    expect(ended).not.toContain('Cancel deployment');
  });
});
