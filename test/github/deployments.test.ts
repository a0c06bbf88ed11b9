import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging.js';
import { GithubStandin, type RecordedRequest } from '../gitops/github-standin.js';
import { exampleFiles } from '../support/examples.js';
import { REPO, startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { waitFor } from '../support/waits.js';
import { DeploymentsApi } from './deployments-standin.js';

const TOKEN = 'ghp_standin_deployments';
const FINAL = new Set(['success', 'failure', 'inactive']);

/**
 * The github-deployments function on the local stack's own events, against the Deployments API of
 * the GitHub stand-in: the requests it sends, and the states each end path leaves on GitHub.
 */
describe('GitHub Deployments mirror', () => {
  let github: GithubStandin;
  let api: DeploymentsApi;
  let h: StackHarness;
  const writes = (sha: string): RecordedRequest[] =>
    github.requests.filter((r) => r.method === 'POST' && (r.body as { ref?: string } | undefined)?.ref === sha);
  const statesOf = async (sha: string, environment: string, done: (states: string[]) => boolean = (s) => FINAL.has(s.at(-1) ?? '')) =>
    waitFor(`GitHub states of ${sha} in ${environment}`, async () => {
      const [states, more] = api.statesOf(sha, environment);
      if (more) throw new Error(`more than one GitHub deployment for ${sha}`);
      return states && done(states) ? states : undefined;
    });

  beforeAll(async () => {
    github = await new GithubStandin(REPO).start();
    api = new DeploymentsApi(github);
    h = await startStackHarness({ logger: createLogger('test', { logLevel: 'SILENT' }), githubApiUrl: github.url, secrets: { githubToken: TOKEN } });
  });
  afterAll(async () => {
    await h?.stop();
    await github?.stop();
  });

  it('creates one GitHub deployment per stepcd deployment, for its commit and app/env, and ends it success', async () => {
    const pushed = await h.deployBaseline(await exampleFiles(['simple', 'approval']), 'baseline');
    const simple = pushed.apps!.find((a) => a.app === 'simple')!;
    const record = (await h.stack.core.history.getDeployment(simple.deploymentId))!;
    const sha = record.commit.sha;
    expect((await statesOf(sha, 'simple/dev')).at(-1)).toBe('success');
    expect((await statesOf(sha, 'approval/dev')).at(-1)).toBe('success');

    const created = writes(sha).filter((r) => r.path === `/repos/${REPO}/deployments`);
    expect(created.map((r) => r.body)).toEqual(
      expect.arrayContaining([
        {
          ref: sha,
          environment: 'simple/dev',
          description: `stepcd simple ${simple.deploymentId}`,
          auto_merge: false,
          required_contexts: [],
          payload: { stepcdDeploymentId: simple.deploymentId },
        },
      ]),
    );
    expect(created).toHaveLength(2);
    expect(created.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    const mine = api.deployments.find((d) => d.environment === 'simple/dev' && d.sha === sha)!;
    // Forward only: each state at most once, in the order queued → in_progress → success.
    const order = ['queued', 'in_progress', 'success'];
    const seen = mine.statuses.map((s) => s.state);
    expect(seen).toEqual(order.filter((s) => seen.includes(s)));
    expect(seen.at(-1)).toBe('success');
    const success = github.requests.find(
      (r) => r.path === `/repos/${REPO}/deployments/${mine.id}/statuses` && (r.body as { state: string }).state === 'success',
    )!;
    expect(success.body).toEqual({
      state: 'success',
      description: `stepcd SUCCESS (${simple.deploymentId})`,
      environment: 'simple/dev',
      log_url: `https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1#/v2/executions/details/${record.executionArn}`,
      auto_inactive: true,
    });
  });

  it('marks the earlier deployment of an environment inactive when a newer one succeeds (replaced)', async () => {
    const before = api.deployments.find((d) => d.environment === 'simple/dev')!;
    const { id, sha } = await h.deploy(await h.imageBump('simple', '1.1.0'), 'simple: 1.1.0');
    await h.waitForStatus(id, 'SUCCESS');
    expect((await statesOf(sha, 'simple/dev')).at(-1)).toBe('success');
    expect(before.statuses.at(-1)?.state).toBe('inactive');
  });

  it('is invoked once per event its two rules deliver: each stepcd deployment event and the end of the execution', async () => {
    const invoked = () => h.stack.invocations()['github-deployments'] ?? 0;
    const [invokedBefore, eventsBefore] = [invoked(), h.stack.cloud.events.events.length];
    const { id, sha } = await h.deploy(await h.imageBump('simple', '1.2.0'), 'simple: 1.2.0');
    await h.waitForStatus(id, 'SUCCESS');
    expect((await statesOf(sha, 'simple/dev')).at(-1)).toBe('success');
    await h.stack.cloud.events.drain();

    // What AWS would deliver, read off the bus without the matcher: DEPLOYMENT_* on the stepcd bus,
    // and this state machine's executions ending (not starting) on the default bus.
    const delivered = h.stack.cloud.events.events
      .slice(eventsBefore)
      .filter((e) =>
        e.source === 'stepcd'
          ? e.eventBusName === h.stack.config.eventBusName && e.detailType.startsWith('DEPLOYMENT_')
          : e.source === 'aws.states' && (e.detail as { status: string }).status !== 'RUNNING',
      );
    expect(delivered.map((e) => e.detailType)).toEqual(
      expect.arrayContaining(['DEPLOYMENT_TRIGGERED', 'DEPLOYMENT_SUCCEEDED', 'Step Functions Execution Status Change']),
    );
    expect(invoked() - invokedBefore).toBe(delivered.length);
  });

  it('ends a rejected deployment failure', async () => {
    const { id, sha } = await h.deploy(await h.imageBump('approval', '1.1.0'), 'approval: 1.1.0');
    await h.waitForStatus(id, 'WAITING_APPROVAL');
    expect(await statesOf(sha, 'approval/dev', (s) => s.includes('in_progress'))).toContain('in_progress');
    expect((await h.stack.approvals.reject({ deploymentId: id, user: 'alice', via: 'cli', now: new Date() })).kind).toBe('rejected');
    await h.waitForStatus(id, 'FAILURE');
    expect((await statesOf(sha, 'approval/dev')).at(-1)).toBe('failure');
  });

  it('waits out a secondary rate limit (retry-after) and creates the deployment once', async () => {
    github.fail(/\/deployments$/, 403, {
      message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      headers: { 'retry-after': '1' },
    });
    const { id, sha } = await h.deploy(await h.imageBump('simple', '1.2.0'), 'simple: 1.2.0');
    await h.waitForStatus(id, 'SUCCESS');
    expect((await statesOf(sha, 'simple/dev')).at(-1)).toBe('success');
    expect(api.deployments.filter((d) => d.sha === sha)).toHaveLength(1);
    // The limited request was sent again after the wait: two of the same, the first refused.
    const finds = github.requests.filter((r) => r.method === 'GET' && r.path === `/repos/${REPO}/deployments` && r.query?.includes(sha));
    expect(finds.length).toBeGreaterThanOrEqual(2);
  });

  it('ends a queued deployment that a newer push supersedes inactive, and a cancelled one failure', async () => {
    const reject = (id: string) => h.stack.approvals.reject({ deploymentId: id, user: 'alice', via: 'cli', now: new Date() });
    const a = await h.deploy(await h.imageBump('approval', '2.0.0'), 'approval: 2.0.0');
    await h.waitForStatus(a.id, 'WAITING_APPROVAL');
    const b = await h.deploy(await h.imageBump('approval', '2.1.0'), 'approval: 2.1.0');
    await waitFor('b to queue', async () => (h.stack.cloud.sfn.history(b.arn).filter((e) => e.type === 'TaskStateEntered').length >= 2 ? true : undefined));
    const c = await h.deploy(await h.imageBump('approval', '2.2.0'), 'approval: 2.2.0');
    await h.waitForStatus(b.id, 'SUPERSEDED');
    expect((await statesOf(b.sha, 'approval/dev')).at(-1)).toBe('inactive');

    expect((await reject(a.id)).kind).toBe('rejected');
    await h.waitForStatus(a.id, 'FAILURE');
    await h.waitForStatus(c.id, 'WAITING_APPROVAL');
    const { cancelDeployment } = await import('../../src/orchestrator/cancel.js');
    await cancelDeployment(c.id, { history: h.stack.core.history, approvals: h.stack.approvals }, { by: 'U-LEAD' });
    await h.waitForStatus(c.id, 'CANCELLED');
    expect((await statesOf(c.sha, 'approval/dev')).at(-1)).toBe('failure');
    const cancelled = api.deployments.find((d) => d.sha === c.sha)!;
    expect(cancelled.statuses.at(-1)?.description).toMatch(/^stepcd CANCELLED/);
  });
});
