import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StackHarness } from '../support/stacks/local-stack.js';
import { signBody } from '../support/github.js';
import { blockActionsPayload, formBody, signedHeaders } from '../support/slack-sign.js';
import { startSlackStandin, type SlackStandin } from '../support/slack-standin.js';

/**
 * Runs a canary deployment through a Slack approval on the local stack with recognisable secrets,
 * at DEBUG log level and with POWERTOOLS_LOGGER_LOG_EVENT on, and looks for every secret and the
 * task token in everything that leaves stepcd: log lines, HTTP responses, EventBridge events, Slack
 * payloads and CLI output.
 */
const SECRETS = {
  githubWebhookSecret: 'LEAKCHECK-github-webhook-secret-5f1d',
  githubToken: 'ghp_LEAKCHECKgithubtoken0000000000000000',
  githubAppPrivateKey: '-----BEGIN PRIVATE KEY-----LEAKCHECK-app-key-----END PRIVATE KEY-----',
  slackBotToken: 'xoxb-LEAKCHECK-bot-token-1234',
  slackSigningSecret: 'LEAKCHECK-slack-signing-secret-9c2e',
};

describe('secrets and the task token on the way through a deployment with approval', () => {
  let h: StackHarness;
  let slack: SlackStandin;
  let cwd: string;
  let taskToken: string | undefined;
  const logs: string[] = [];
  const responses: string[] = [];
  const cliOutput: string[] = [];

  beforeAll(async () => {
    // Read by the handlers' module-level loggers when they are first imported, below.
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    vi.stubEnv('POWERTOOLS_LOGGER_LOG_EVENT', 'true');
    const capture = (text: unknown) => {
      logs.push(String(text));
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, level).mockImplementation(
        (...args: unknown[]) => void logs.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')),
      );
    }

    const { startStackHarness } = await import('../support/stacks/local-stack.js');
    const { createLogger } = await import('../../src/logging.js');
    slack = await startSlackStandin();
    h = await startStackHarness({
      secrets: SECRETS,
      slack: { apiUrl: slack.apiUrl, defaultChannel: 'C0DEPLOYS' },
      logger: createLogger('stepcd-local', { logLevel: 'DEBUG' }),
    });
    h.stack.interceptFunction('approval-request', async (event, context, next) => {
      taskToken = (event as { taskToken?: string }).taskToken;
      return next(event, context);
    });
    cwd = await mkdtemp(join(tmpdir(), 'stepcd-leaks-'));
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    await h?.stop();
    await slack?.close();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('never shows a secret or the task token in logs, responses, events, Slack payloads or CLI output', async () => {
    const { exampleFiles } = await import('../support/examples.js');
    const { endpointsOf, writeLocalEndpoints } = await import('../../src/cli/local-state.js');
    const { runCli } = await import('../cli/support.js');

    const first = await h.push(await exampleFiles(['canary']), 'add canary');
    responses.push(JSON.stringify(first.body));
    await h.waitForStatus(first.body.apps![0]!.deploymentId, 'SUCCESS');
    const { id } = await h.deploy(await h.imageBump('canary', '9.9.9'), 'canary: 9.9.9');
    await h.waitForStatus(id, 'WAITING_APPROVAL');

    // Refusals: a webhook signed with another secret, a Slack click signed with another secret.
    const forgedBody = JSON.stringify({ ref: 'refs/heads/main' });
    const forged = await fetch(`${h.stack.front.url}/webhooks/github`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': signBody('wrong', forgedBody) },
      body: forgedBody,
    });
    expect(forged.status).toBe(401);
    responses.push(await forged.text());
    const click = formBody(
      blockActionsPayload({ user: 'U0LEAD', actionId: 'stepcd_approve', deploymentId: id, stageIndex: 2, responseUrl: slack.responseUrl('approve') }),
    );
    const nowS = Math.floor(Date.now() / 1000);
    const forgedClick = await fetch(`${h.stack.front.url}/slack/interactions`, { method: 'POST', headers: signedHeaders('wrong', click, nowS), body: click });
    expect(forgedClick.status).toBe(401);
    responses.push(await forgedClick.text());

    const approval = await fetch(`${h.stack.front.url}/slack/interactions`, {
      method: 'POST',
      headers: signedHeaders(SECRETS.slackSigningSecret, click, nowS),
      body: click,
    });
    expect(approval.status).toBe(200);
    responses.push(await approval.text());
    await h.waitForStatus(id, 'SUCCESS');
    responses.push(await (await fetch(`${h.stack.front.url}/`)).text());

    await writeLocalEndpoints(cwd, endpointsOf(h.stack, { repoDir: h.repoDir, pid: process.pid }));
    for (const argv of [
      ['deployments', 'show', id, '--json'],
      ['deployments', 'show', id],
      ['deployments', 'list', '--app', 'canary', '--json'],
      ['logs', id, '--json'],
      ['logs', id],
      ['approve', id, '--as', 'U0LEAD', '--json'],
    ]) {
      const r = await runCli([...argv, '--local'], { cwd });
      cliOutput.push(r.stdout, r.stderr);
    }

    // Controls: each channel really carried data, and the token and bot token really were in play.
    expect(taskToken).toMatch(/^stepcd-local-token:/);
    expect((await h.stack.core.history.getApproval(id, 2))?.taskToken).toBe(taskToken);
    expect(slack.callsTo('chat.update').length).toBeGreaterThan(0);
    expect(slack.calls.some((c) => c.authorization === `Bearer ${SECRETS.slackBotToken}`)).toBe(true);
    expect(slack.callsTo('response_url')).toHaveLength(1);
    expect(logs.join('\n')).toContain('push received');
    expect(logs.join('\n')).toContain('refused a Slack request');
    expect(cliOutput.join('\n')).toContain(id);
    const events = h.stack.cloud.events.events.map((e) => JSON.stringify(e));
    expect(events.some((e) => e.includes('DEPLOYMENT_WAIT_APPROVAL'))).toBe(true);

    const channels: Record<string, string> = {
      logs: logs.join('\n'),
      'HTTP responses': responses.join('\n'),
      'EventBridge events': events.join('\n'),
      'Slack payloads': slack.calls.map((c) => `${c.path}\n${c.raw}`).join('\n'),
      'CLI output': cliOutput.join('\n'),
    };
    const needles: Record<string, string> = { ...SECRETS, taskToken: taskToken! };
    const leaks = Object.entries(channels).flatMap(([channel, text]) =>
      Object.entries(needles)
        .filter(([, needle]) => text.includes(needle))
        .map(([name]) => `${name} in ${channel}`),
    );
    expect(leaks).toEqual([]);
  });
});
