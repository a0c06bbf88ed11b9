import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asPrincipal } from '../../src/aws/client-config.js';
import { createLiveEcsReader } from '../../src/aws/ecs-read.js';
import { GithubRest } from '../../src/github/github-rest.js';
import type { PullRequestDeps } from '../../src/github/pull-request/pr-check.js';
import { COMMENT_MARKER } from '../../src/github/pull-request/pr-report.js';
import { GithubSource } from '../../src/gitops/github-source.js';
import { handleGithubWebhook, type WebhookDeps } from '../../src/gitops/webhook.js';
import { createLogger } from '../../src/logging.js';
import { GithubStandin } from '../gitops/github-standin.js';
import { examplePayloads, signedRequest } from '../support/github.js';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { PullsApi } from './pulls-standin.js';

const GH_REPO = 'acme/deploys';
const TOKEN = 'ghp_standin_pulls';
const SECRET = 'pr-webhook-secret';
const BASE = '1'.repeat(40);
const BROKEN = '2'.repeat(40);
const BUMP = '3'.repeat(40);
const logger = createLogger('test', { logLevel: 'SILENT' });

/**
 * The webhook's pull_request path: manifests from the GitHub stand-in at the PR head, the plan
 * against the local cloud's live ECS service, the report through the Checks (or statuses) and
 * issue comments endpoints of the stand-in. Nothing is started.
 */
describe('pull_request: check run, status and one comment, never a deployment', () => {
  let h: StackHarness;
  let github: GithubStandin;
  let pulls: PullsApi;
  let sfn: SFNClient;
  let files: Record<string, string>;

  const deps = (report: PullRequestDeps['report'], stackApprovers: string[]): WebhookDeps =>
    ({
      secret: SECRET,
      tracking: { repos: [GH_REPO], branches: ['main'], deployTags: false },
      logger,
      pullRequests: {
        source: new GithubSource({ repo: GH_REPO, auth: TOKEN, baseUrl: github.url }),
        liveEcs: createLiveEcsReader(asPrincipal(h.stack.cloud.clientConfigs, 'github-webhook').ecs),
        github: new GithubRest({ repo: GH_REPO, auth: TOKEN, baseUrl: github.url }),
        report,
        stackApprovers,
        logger,
      },
      // The pull_request branch reads nothing else of the push path's dependencies.
    }) as unknown as WebhookDeps;

  const payload = (over: { action?: string; head?: string; number?: number; baseRef?: string; fork?: boolean } = {}) => {
    const example = examplePayloads('pull_request').find((p) => p.action === 'opened')!;
    const pr = example.pull_request as Record<string, any>;
    pr.base = { ...pr.base, ref: over.baseRef ?? 'main', sha: BASE, repo: { ...pr.base.repo, full_name: GH_REPO } };
    pr.head = { ...pr.head, sha: over.head ?? BROKEN, repo: { ...pr.head.repo, full_name: over.fork ? 'mallory/deploys' : GH_REPO } };
    return {
      ...example,
      action: over.action ?? 'opened',
      number: over.number ?? 7,
      repository: { ...(example.repository as object), full_name: GH_REPO, default_branch: 'main' },
    };
  };
  // The local stack's allowlist lets anyone approve, as the canary example's approval stage expects.
  const deliver = async (report: PullRequestDeps['report'], body: unknown, stackApprovers = ['*']) => {
    const res = await handleGithubWebhook(signedRequest({ secret: SECRET, event: 'pull_request', payload: body }), deps(report, stackApprovers));
    return { status: res.statusCode, body: JSON.parse(res.body) as Record<string, any> };
  };
  const executions = async () => (await sfn.send(new ListExecutionsCommand({ stateMachineArn: h.stack.stateMachineArn }))).executions?.length ?? 0;
  const writesSince = (n: number) =>
    github.requests
      .slice(n)
      // A GraphQL query is a POST that only reads (the manifests, batched).
      .filter((r) => r.method !== 'GET' && r.path !== '/graphql')
      .map((r) => `${r.method} ${r.path}`);

  beforeAll(async () => {
    h = await startStackHarness({ logger });
    sfn = new SFNClient(h.stack.cloud.clientConfigs.sfn);
    files = await exampleFiles(['canary']);
    await h.deployBaseline(files, 'canary');
    github = await new GithubStandin(GH_REPO).start();
    pulls = new PullsApi(github);
    const servicedef = 'apps/canary/servicedef.yaml';
    const taskdef = 'apps/canary/taskdef.yaml';
    github.addCommit(BASE, { parents: [], files });
    github.addCommit(BROKEN, { parents: [BASE], files: { ...files, [servicedef]: files[servicedef]!.replace('type: EXTERNAL', 'type: ECS') } });
    github.addCommit(BUMP, { parents: [BASE], files: { ...files, [taskdef]: files[taskdef]!.replace('canary:1.0.0', 'canary:2.0.0') } });
  }, 60_000);
  afterAll(async () => {
    sfn?.destroy();
    await github?.stop();
    await h?.stop();
  });

  it('reports a broken manifest as a failed check run annotated at file and line, and one comment', async () => {
    const before = await executions();
    const since = github.requests.length;
    const r = await deliver('checks', payload());
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'checked', conclusion: 'failure', apps: [{ app: 'canary', configPath: 'apps/canary/app.pipecd.yaml', ok: false }] });
    expect(writesSince(since)).toEqual([`POST /repos/${GH_REPO}/check-runs`, `POST /repos/${GH_REPO}/issues/7/comments`]);
    const create = github.requests.slice(since).find((x) => x.method === 'POST' && x.path.endsWith('/check-runs'))!.body as Record<string, any>;
    expect(create).toMatchObject({ name: 'stepcd', head_sha: BROKEN, status: 'completed', conclusion: 'failure' });
    expect(create.output.title).toBe('1 of 1 app(s) invalid');
    expect(create.output.annotations).toEqual([
      {
        path: 'apps/canary/servicedef.yaml',
        start_line: 9,
        end_line: 9,
        start_column: 3,
        end_column: 3,
        annotation_level: 'failure',
        title: 'deploymentController.type',
        message: 'must be EXTERNAL',
      },
    ]);
    const comments = pulls.comments.get(7)!;
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.startsWith(`${COMMENT_MARKER}\n**stepcd** at \`2222222\``)).toBe(true);
    expect(comments[0]!.body).toContain('`apps/canary/servicedef.yaml:9:3` `deploymentController.type` must be EXTERNAL');
    // Per app: one read of each manifest file at the head (in GraphQL batches), and two tree listings for the PR.
    const reads = github.requests.slice(since).filter((x) => x.path === '/graphql');
    const asked = reads.flatMap((x) => [...String((x.body as { query: string }).query).matchAll(/expression: "[0-9a-f]{40}:([^"]+)"/g)].map((m) => m[1]));
    expect(asked.sort()).toEqual(['app.pipecd.yaml', 'servicedef.yaml', 'taskdef.yaml'].map((f) => `apps/canary/${f}`));
    expect(github.requests.slice(since).filter((x) => x.path.includes('/contents/'))).toEqual([]);
    expect(await executions()).toBe(before);
  });

  it('updates the same check run and the same comment for a new push to the pull request', async () => {
    const since = github.requests.length;
    const r = await deliver('checks', payload({ action: 'synchronize', head: BUMP }));
    expect(r.body.conclusion).toBe('success');
    // A new head is a new check run; the comment is edited, not posted again.
    expect(writesSince(since)).toEqual([`POST /repos/${GH_REPO}/check-runs`, `PATCH /repos/${GH_REPO}/issues/comments/${pulls.comments.get(7)![0]!.id}`]);
    const comment = pulls.comments.get(7)!;
    expect(comment).toHaveLength(1);
    expect(comment[0]!.body).toContain('Strategy **PIPELINE**: ECS_CANARY_ROLLOUT → ECS_TRAFFIC_ROUTING → WAIT_APPROVAL');
    expect(comment[0]!.body).toContain(
      'task definition ~ containerDefinitions[0].image: registry.example.com/canary:1.0.0 → registry.example.com/canary:2.0.0',
    );

    const again = github.requests.length;
    await deliver('checks', payload({ action: 'reopened', head: BUMP }));
    const run = pulls.checkRuns.find((x) => x.head_sha === BUMP)!;
    expect(writesSince(again)).toEqual([`PATCH /repos/${GH_REPO}/check-runs/${run.id}`, `PATCH /repos/${GH_REPO}/issues/comments/${comment[0]!.id}`]);
    expect(pulls.checkRuns.filter((x) => x.head_sha === BUMP)).toHaveLength(1);
  });

  it('sets a commit status instead of a check run with a plain token, and checks a fork the same way', async () => {
    const since = github.requests.length;
    const r = await deliver('status', payload({ number: 8, fork: true }));
    expect(r.status).toBe(200);
    expect(writesSince(since)).toEqual([`POST /repos/${GH_REPO}/statuses/${BROKEN}`, `POST /repos/${GH_REPO}/issues/8/comments`]);
    expect(pulls.statuses.at(-1)).toEqual({ sha: BROKEN, state: 'failure', context: 'stepcd', description: '1 of 1 app(s) invalid' });
  });

  it('fails the check when an approval stage names no approvers and the stack has no allowlist', async () => {
    const r = await deliver('checks', payload({ number: 10, head: BUMP, action: 'synchronize' }), []);
    expect(r.body).toMatchObject({ conclusion: 'failure', apps: [{ app: 'canary', ok: false }] });
    const run = pulls.checkRuns.filter((x) => x.head_sha === BUMP).at(-1)!;
    expect(run.output.annotations).toEqual([
      expect.objectContaining({
        path: 'apps/canary/app.pipecd.yaml',
        annotation_level: 'failure',
        title: 'spec.pipeline.stages[2].with.approvers',
        message: expect.stringContaining('the stack has no approver allowlist'),
      }),
    ]);
  });

  it('waits out a secondary rate limit on the check run and sends it once more', async () => {
    github.fail(/\/check-runs$/, 403, { message: 'You have exceeded a secondary rate limit', headers: { 'retry-after': '1' } });
    const r = await deliver('checks', payload({ number: 9, head: BUMP, action: 'synchronize' }));
    expect(r.status).toBe(200);
    expect(pulls.checkRuns.filter((x) => x.head_sha === BUMP)).toHaveLength(1);
  });

  it.each([
    ['a closed pull request', { action: 'closed' }],
    ['a pull request into another branch', { baseRef: 'feature/x' }],
  ])('ignores %s with 202 and calls GitHub not at all', async (_name, over) => {
    const since = github.requests.length;
    const r = await deliver('checks', payload(over));
    expect(r.status).toBe(202);
    expect(github.requests.length).toBe(since);
  });
});
