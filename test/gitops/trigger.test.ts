import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManifestPlanner } from '../../src/gitops/app-planner.js';
import { InProcessDeferrer } from '../../src/gitops/deferrers.js';
import { LocalGitSource } from '../../src/gitops/local-git-source.js';
import { ZERO_SHA, type PushEvent } from '../../src/gitops/push-event.js';
import { triggerDeployments, type TriggerDeps } from '../../src/gitops/trigger.js';
import type { DynamoHistoryStore } from '../../src/aws/history/dynamo-history-store.js';
import { startLocalDynamo, type LocalDynamo } from '../../src/local/dynamo.js';
import { historyTableOn } from '../support/stacks/history.js';
import { initRepo, writeAndCommit } from '../../src/local/git-repo.js';
import { createLogger } from '../../src/logging.js';
import { CapturedEvents, FakeServices, RecordingWorkflow, taskdef, threeAppRepo } from './fakes.js';

let dynamo: LocalDynamo;
let repoDir: string;
let baseSha: string;
let tableSeq = 0;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  repoDir = await mkdtemp(join(tmpdir(), 'stepcd-trigger-'));
  await initRepo(repoDir);
  baseSha = await writeAndCommit(repoDir, threeAppRepo(), 'three apps');
});

afterAll(async () => {
  await dynamo.stop();
  await rm(repoDir, { recursive: true, force: true });
});

interface Harness {
  deps: TriggerDeps;
  workflow: RecordingWorkflow;
  events: CapturedEvents;
  history: DynamoHistoryStore;
  deferrer: InProcessDeferrer;
}

async function harness(limits: TriggerDeps['limits'] = {}): Promise<Harness> {
  // A fresh table per test keeps deployment ids (deterministic per app and sha) from colliding.
  const tableName = `history-${++tableSeq}`;
  const history = await historyTableOn(dynamo, tableName);
  const workflow = new RecordingWorkflow();
  const events = new CapturedEvents();
  const deps: TriggerDeps = {
    source: new LocalGitSource(repoDir),
    planner: new ManifestPlanner(new FakeServices()),
    history,
    workflow,
    events,
    deferrer: undefined as never,
    logger: createLogger('test', { logLevel: 'SILENT' }),
    now: () => new Date('2026-01-01T00:00:00Z'),
    wallNow: () => new Date('2026-01-01T00:00:00Z'),
    limits,
  };
  const deferrer = new InProcessDeferrer((push, paths) => triggerDeployments(push, deps, paths));
  deps.deferrer = deferrer;
  return { deps, workflow, events, history, deferrer };
}

function pushOf(before: string, after: string, payloadPaths?: string[]): PushEvent {
  return {
    repo: repoDir,
    ref: 'refs/heads/main',
    refName: 'main',
    refType: 'branch',
    before,
    after,
    commit: { sha: after, message: 'test', author: 'dev', branch: 'main' },
    delivery: `d-${after.slice(0, 8)}`,
    ...(payloadPaths ? { payloadPaths } : {}),
  };
}

describe('triggerDeployments over a local git repository with three apps', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });

  it('starts exactly one deployment, with the right plan, when a commit touches one app taskdef', async () => {
    const sha = await writeAndCommit(repoDir, { 'apps/api/taskdef.yaml': taskdef('api', 'cpu: "512"\n') }, 'api: more cpu');

    const out = await triggerDeployments(pushOf(baseSha, sha), h.deps);

    expect(out.results.map((r) => [r.app, r.status])).toEqual([['api', 'STARTED']]);
    expect(h.workflow.started).toHaveLength(1);
    const plan = h.workflow.started[0]!.input;
    expect(plan.app).toMatchObject({ name: 'api', dir: 'apps/api' });
    expect(plan.commit.sha).toBe(sha);
    expect(plan.taskDefinition).toMatchObject({ family: 'api', cpu: '512' });
    expect(plan.strategy).toBe('QUICK_SYNC');
    expect(plan.serviceDefinition).toMatchObject({ cluster: 'demo', serviceName: 'api' });
    const record = await h.history.getDeployment(plan.deploymentId);
    expect(record).toMatchObject({ status: 'PENDING' });
    // Begin, the execution's first step, records it: the webhook spends no write on it.
    expect(record?.executionArn).toBeUndefined();
    expect(out.results[0]!.executionArn).toMatch(/:execution:deploy:api-/);
    expect(h.events.events.map((e) => e.detailType)).toEqual(['DEPLOYMENT_TRIGGERED']);
    baseSha = sha;
  });

  it('starts nothing when a commit touches only a shared file outside every app', async () => {
    const sha = await writeAndCommit(repoDir, { 'shared/README.md': '# shared, edited\n' }, 'docs');

    const out = await triggerDeployments(pushOf(baseSha, sha), h.deps);

    expect(out.results).toEqual([]);
    expect(h.workflow.started).toHaveLength(0);
    baseSha = sha;
  });

  it('starts two deployments when a commit touches two apps', async () => {
    const sha = await writeAndCommit(
      repoDir,
      {
        'apps/api/servicedef.yaml': 'cluster: demo\nserviceName: api\ndesiredCount: 3\ndeploymentController:\n  type: EXTERNAL\n',
        'apps/worker/taskdef.yaml': taskdef('worker', 'cpu: "1024"\n'),
      },
      'api and worker',
    );

    const out = await triggerDeployments(pushOf(baseSha, sha), h.deps);

    expect(out.results.map((r) => [r.app, r.status])).toEqual([
      ['api', 'STARTED'],
      ['worker', 'STARTED'],
    ]);
    expect(h.workflow.started.map((s) => s.input.app.name).sort()).toEqual(['api', 'worker']);
    baseSha = sha;
  });

  it('honours trigger paths outside the app directory and lets ignores win inside it', async () => {
    const assets = await writeAndCommit(repoDir, { 'shared/web-assets/logo.svg': '<svg/>' }, 'assets');
    const docs = await writeAndCommit(repoDir, { 'apps/web/docs/README.md': 'docs' }, 'web docs');

    const byAssets = await triggerDeployments(pushOf(baseSha, assets), h.deps);
    const byDocs = await triggerDeployments(pushOf(assets, docs), h.deps);

    expect(byAssets.results.map((r) => r.app)).toEqual(['web']);
    expect(byDocs.results).toEqual([]);
    baseSha = docs;
  });

  it('records TRIGGER_FAILED with the file and field, emits the event, and starts nothing for an invalid manifest', async () => {
    const sha = await writeAndCommit(repoDir, { 'apps/api/taskdef.yaml': taskdef('api').replace('family: api\n', '') }, 'break api');

    const out = await triggerDeployments(pushOf(baseSha, sha), h.deps);

    expect(out.results).toEqual([expect.objectContaining({ app: 'api', status: 'TRIGGER_FAILED', errors: ['apps/api/taskdef.yaml: family is required'] })]);
    expect(h.workflow.started).toHaveLength(0);
    const record = await h.history.getDeployment(out.results[0]!.deploymentId);
    expect(record).toMatchObject({ status: 'TRIGGER_FAILED', reason: 'apps/api/taskdef.yaml: family is required' });
    expect(h.events.events).toEqual([
      expect.objectContaining({
        detailType: 'DEPLOYMENT_TRIGGER_FAILED',
        detail: expect.objectContaining({ reason: 'apps/api/taskdef.yaml: family is required' }),
      }),
    ]);
    baseSha = await writeAndCommit(repoDir, { 'apps/api/taskdef.yaml': taskdef('api') }, 'fix api');
  });

  it('starts nothing new when the same push is handled twice, and reports the existing deployment', async () => {
    const sha = await writeAndCommit(repoDir, { 'apps/worker/taskdef.yaml': taskdef('worker', 'cpu: "256"\n') }, 'worker again');

    const first = await triggerDeployments(pushOf(baseSha, sha), h.deps);
    const { deploymentId, executionArn } = first.results[0]!;
    // Before Begin has recorded the execution, a start by its name answers with the one that exists.
    const early = await triggerDeployments(pushOf(baseSha, sha), h.deps);
    await h.history.setExecution(deploymentId, executionArn!);
    const late = await triggerDeployments(pushOf(baseSha, sha), h.deps);

    expect(h.workflow.started).toHaveLength(1);
    expect(early.results).toEqual([expect.objectContaining({ status: 'STARTED', deploymentId, executionArn })]);
    expect(late.results).toEqual([expect.objectContaining({ status: 'DUPLICATE', deploymentId, executionArn })]);
    expect(h.events.events.filter((e) => e.detailType === 'DEPLOYMENT_TRIGGERED')).toHaveLength(1);
    baseSha = sha;
  });

  it('resumes a deployment recorded as PENDING whose execution never started', async () => {
    const sha = await writeAndCommit(repoDir, { 'apps/worker/taskdef.yaml': taskdef('worker', 'cpu: "128"\n') }, 'worker crash');
    const unreachable = new RecordingWorkflow();
    unreachable.startExecution = () => Promise.reject(new Error('connection reset'));

    const crashed = await triggerDeployments(pushOf(baseSha, sha), { ...h.deps, workflow: unreachable });
    const resumed = await triggerDeployments(pushOf(baseSha, sha), h.deps);

    expect(crashed.results[0]).toMatchObject({ status: 'ERROR', retryable: true });
    expect(resumed.results[0]).toMatchObject({ status: 'STARTED' });
    expect(h.workflow.started).toHaveLength(1);
    expect(h.events.events.filter((e) => e.detailType === 'DEPLOYMENT_TRIGGERED')).toHaveLength(1);
    baseSha = sha;
  });

  it('reports an app whose directory the push deleted and does not deploy it', async () => {
    const sha = await writeAndCommit(
      repoDir,
      { 'apps/worker/app.pipecd.yaml': null, 'apps/worker/taskdef.yaml': null, 'apps/worker/servicedef.yaml': null },
      'remove worker',
    );

    const out = await triggerDeployments(pushOf(baseSha, sha), h.deps);

    expect(out.deletedApps).toEqual(['apps/worker']);
    expect(out.results).toEqual([]);
    expect(h.workflow.started).toHaveLength(0);
    baseSha = await writeAndCommit(repoDir, threeAppRepo(), 'restore worker');
  });

  it('uses git diff instead of the payload list when the push created the branch', async () => {
    const sha = await writeAndCommit(repoDir, { 'apps/api/taskdef.yaml': taskdef('api', 'memory: "1024"\n') }, 'api memory');

    const out = await triggerDeployments(pushOf(ZERO_SHA, sha), h.deps);

    expect(out.results.map((r) => r.app)).toEqual(['api']);
    baseSha = sha;
  });
});

describe('triggerDeployments with two app configs in one directory', () => {
  it('gives each config its own deployment id, matching the id in its plan', async () => {
    const h = await harness();
    const second = threeAppRepo()['apps/api/app.pipecd.yaml']!.replace('name: api', 'name: api-blue').replace('servicedef.yaml', 'servicedef-blue.yaml');
    const added = await writeAndCommit(
      repoDir,
      {
        'apps/api/blue.pipecd.yaml': second,
        'apps/api/servicedef-blue.yaml': 'cluster: demo\nserviceName: api-blue\ndesiredCount: 1\ndeploymentController:\n  type: EXTERNAL\n',
      },
      'api: a second app in the same directory',
    );
    const sha = await writeAndCommit(repoDir, { 'apps/api/taskdef.yaml': taskdef('api', 'cpu: "2048"\n') }, 'api: shared taskdef');

    const out = await triggerDeployments(pushOf(added, sha), h.deps);

    expect(out.results.map((r) => [r.configPath, r.app, r.status])).toEqual([
      ['apps/api/app.pipecd.yaml', 'api', 'STARTED'],
      ['apps/api/blue.pipecd.yaml', 'api-blue', 'STARTED'],
    ]);
    const [first, other] = out.results;
    expect(first!.deploymentId).not.toBe(other!.deploymentId);
    expect(h.workflow.started.map((s) => [s.input.app.name, s.input.deploymentId]).sort()).toEqual([
      ['api', first!.deploymentId],
      ['api-blue', other!.deploymentId],
    ]);
    baseSha = await writeAndCommit(repoDir, { 'apps/api/blue.pipecd.yaml': null, 'apps/api/servicedef-blue.yaml': null }, 'api: back to one app');
  });
});

describe('triggerDeployments beyond the inline budget', () => {
  it('defers the apps past maxInlineApps and the deferred run starts them, dropping none', async () => {
    const h = await harness({ maxInlineApps: 1, parallelism: 1 });
    const files = Object.fromEntries(
      Object.entries(threeAppRepo())
        .filter(([p]) => p.endsWith('taskdef.yaml'))
        .map(([p, t]) => [p, `${t}# rev budget\n`]),
    );
    const sha = await writeAndCommit(repoDir, files, 'touch every app');

    const out = await triggerDeployments(pushOf(baseSha, sha), h.deps);
    expect(out.results.map((r) => r.status)).toEqual(['STARTED', 'DEFERRED', 'DEFERRED']);
    expect(h.workflow.started).toHaveLength(1);

    await h.deferrer.idle();
    expect(h.workflow.started.map((s) => s.input.app.name).sort()).toEqual(['api', 'web', 'worker']);
    const deferredIds = out.results
      .filter((r) => r.status === 'DEFERRED')
      .map((r) => r.deploymentId)
      .sort();
    expect(
      h.workflow.started
        .map((s) => s.input.deploymentId)
        .filter((id) => deferredIds.includes(id))
        .sort(),
    ).toEqual(deferredIds);
    baseSha = sha;
  });
});
