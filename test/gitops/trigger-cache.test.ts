import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler } from '../../src/gitops/webhook-handler.js';
import { ManifestPlanner } from '../../src/gitops/app-planner.js';
import { splitByCache } from '../../src/gitops/config-analysis.js';
import { InProcessDeferrer, type DeferredPushEvent } from '../../src/gitops/deferrers.js';
import { LocalGitSource } from '../../src/gitops/local-git-source.js';
import type { PushEvent } from '../../src/gitops/push-event.js';
import { LruTriggerCache, TieredTriggerCache } from '../../src/gitops/trigger-cache.js';
import type { TriggerSettingsStore } from '../../src/history/trigger-settings-store.js';
import type { TriggerSettings } from '../../src/domain/trigger-settings.js';
import { parseTriggerSettings } from '../../src/gitops/trigger-settings.js';
import { triggerDeployments, WHOLE_PUSH, type TriggerDeps } from '../../src/gitops/trigger.js';
import { handleGithubWebhook, type WebhookDeps } from '../../src/gitops/webhook.js';
import { startLocalDynamo, type LocalDynamo } from '../../src/local/dynamo.js';
import { historyTableOn } from '../support/stacks/history.js';
import { initRepo, writeAndCommit } from '../../src/local/git-repo.js';
import { createLogger } from '../../src/logging.js';
import { buildPush, signedRequest } from '../support/github.js';
import { CapturedEvents, CountingSource, FakeServices, RecordingWorkflow, taskdef, threeAppRepo } from './fakes.js';

const logger = createLogger('test', { logLevel: 'SILENT' });
const settings = (paths: string[] = []): TriggerSettings => ({ definitionNames: ['taskdef.yaml'], paths, ignores: [] });

describe('LruTriggerCache', () => {
  it('evicts the least recently used entry once over capacity', async () => {
    const cache = new LruTriggerCache(2);
    await cache.putMany(
      new Map([
        ['a', settings()],
        ['b', settings()],
      ]),
    );
    await cache.getMany(['a']);
    await cache.putMany(new Map([['c', settings()]]));

    expect([...(await cache.getMany(['a', 'b', 'c'])).keys()]).toEqual(['a', 'c']);
    expect(cache.size).toBe(2);
  });
});

describe('TieredTriggerCache', () => {
  function store(entries: Record<string, unknown>, fail = false): TriggerSettingsStore & { asked: string[][]; stored: string[] } {
    const asked: string[][] = [];
    const stored: string[] = [];
    return {
      asked,
      stored,
      async getTriggerSettings(ids) {
        asked.push([...ids]);
        if (fail) throw new Error('table unavailable');
        return new Map(ids.filter((id) => id in entries).map((id) => [id, entries[id]]));
      },
      async putTriggerSettings(map) {
        if (fail) throw new Error('table unavailable');
        stored.push(...map.keys());
      },
    };
  }

  it('asks the table only for memory misses and keeps what it found in memory', async () => {
    const table = store({ b: settings(['shared']) });
    const cache = new TieredTriggerCache(new LruTriggerCache(), table, logger);
    await cache.putMany(new Map([['a', settings()]]));

    const first = await cache.getMany(['a', 'b', 'c']);
    const second = await cache.getMany(['a', 'b']);

    expect([...first.keys()].sort()).toEqual(['a', 'b']);
    expect(second.get('b')?.paths).toEqual(['shared']);
    expect(table.asked).toEqual([['b', 'c']]);
    expect(table.stored).toEqual(['a']);
  });

  it('treats a malformed table entry as a miss rather than trusting it', async () => {
    const cache = new TieredTriggerCache(new LruTriggerCache(), store({ a: { paths: 'not-a-list' } }), logger);
    expect((await cache.getMany(['a'])).size).toBe(0);
  });

  it('falls back to reading when the table fails, without failing the push', async () => {
    const cache = new TieredTriggerCache(new LruTriggerCache(), store({}, true), logger);
    await expect(cache.putMany(new Map([['a', settings()]]))).resolves.toBeUndefined();
    expect([...(await cache.getMany(['a', 'b'])).keys()]).toEqual(['a']);
  });
});

describe('splitByCache', () => {
  it('places cached settings at each config path, so identical configs in two directories share one entry', () => {
    const cached = new Map([['blob-1', settings(['shared/lib'])]]);
    const { known, missing } = splitByCache(
      [
        { path: 'apps/a/app.pipecd.yaml', id: 'blob-1' },
        { path: 'apps/b/app.pipecd.yaml', id: 'blob-1' },
        { path: 'apps/c/app.pipecd.yaml', id: 'blob-2' },
      ],
      cached,
    );
    expect(known.map((k) => [k.dir, k.definitionFiles, k.paths])).toEqual([
      ['apps/a', ['apps/a/taskdef.yaml'], ['shared/lib']],
      ['apps/b', ['apps/b/taskdef.yaml'], ['shared/lib']],
    ]);
    expect(missing.map((m) => m.path)).toEqual(['apps/c/app.pipecd.yaml']);
  });
});

describe('parseTriggerSettings', () => {
  it('keeps only content-derived fields, with PipeCD defaults', () => {
    expect(parseTriggerSettings('spec:\n  name: web\n  trigger:\n    onCommit:\n      paths: [shared]\n')).toEqual({
      name: 'web',
      definitionNames: ['taskdef.json'],
      paths: ['shared'],
      ignores: [],
    });
  });
});

// ---- The trigger over a local git repository --------------------------------------------------

let dynamo: LocalDynamo;
let tableSeq = 0;
const repos: string[] = [];

beforeAll(async () => {
  dynamo = await startLocalDynamo();
});

afterAll(async () => {
  await dynamo.stop();
  await Promise.all(repos.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function newRepo(files: Record<string, string>): Promise<{ dir: string; sha: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'stepcd-trigger-cache-'));
  repos.push(dir);
  await initRepo(dir);
  return { dir, sha: await writeAndCommit(dir, files, 'initial') };
}

interface Harness {
  deps: WebhookDeps;
  source: CountingSource;
  workflow: RecordingWorkflow;
  deferrer: InProcessDeferrer;
  cache: LruTriggerCache;
}

async function harness(repoDir: string, limits: TriggerDeps['limits'] = {}): Promise<Harness> {
  const tableName = `cache-history-${++tableSeq}`;
  const history = await historyTableOn(dynamo, tableName);
  const source = new CountingSource(new LocalGitSource(repoDir));
  const workflow = new RecordingWorkflow();
  const cache = new LruTriggerCache();
  const deps: WebhookDeps = {
    secret: 'secret',
    tracking: { repos: ['stepcd/mono'], branches: ['main'], deployTags: false },
    source,
    planner: new ManifestPlanner(new FakeServices()),
    history,
    workflow,
    events: new CapturedEvents(),
    deferrer: undefined as never,
    logger,
    now: () => new Date('2026-01-01T00:00:00Z'),
    wallNow: () => new Date('2026-01-01T00:00:00Z'),
    limits,
    triggerCache: cache,
  };
  const deferrer = new InProcessDeferrer((push, scope) => triggerDeployments(push, deps, scope));
  deps.deferrer = deferrer;
  return { deps, source, workflow, deferrer, cache };
}

function pushOf(before: string, after: string): PushEvent {
  return {
    repo: 'stepcd/mono',
    ref: 'refs/heads/main',
    refName: 'main',
    refType: 'branch',
    before,
    after,
    commit: { sha: after, message: 'test', author: 'dev', branch: 'main' },
  };
}

const started = (h: Harness) => h.workflow.started.map((s) => s.input.app.name).sort();

describe('triggerDeployments with the trigger settings cache', () => {
  it('reads every config once on a cold cache, then only the apps a push changes', async () => {
    const repo = await newRepo(threeAppRepo());
    const h = await harness(repo.dir);
    const docs = await writeAndCommit(repo.dir, { 'docs/README.md': 'docs\n' }, 'docs only');

    await triggerDeployments(pushOf(repo.sha, docs), h.deps);
    expect(h.source.configReads().sort()).toEqual(['apps/api/app.pipecd.yaml', 'apps/web/app.pipecd.yaml', 'apps/worker/app.pipecd.yaml']);
    expect(h.workflow.started).toHaveLength(0);

    h.source.reset();
    const api = await writeAndCommit(repo.dir, { 'apps/api/taskdef.yaml': taskdef('api', 'cpu: "512"\n') }, 'api: more cpu');
    await triggerDeployments(pushOf(docs, api), h.deps);

    expect(started(h)).toEqual(['api']);
    // One read, by the planner of the one affected app; the analysis itself read nothing.
    expect(h.source.configReads()).toEqual(['apps/api/app.pipecd.yaml']);
  });

  it('re-reads a changed config (new blob id) and applies its new trigger settings', async () => {
    const repo = await newRepo(threeAppRepo());
    const h = await harness(repo.dir);
    const warm = await writeAndCommit(repo.dir, { 'docs/README.md': 'docs\n' }, 'docs only');
    await triggerDeployments(pushOf(repo.sha, warm), h.deps);

    const config = threeAppRepo()['apps/worker/app.pipecd.yaml']!;
    const retrigger = await writeAndCommit(
      repo.dir,
      { 'apps/worker/app.pipecd.yaml': `${config}  trigger:\n    onCommit:\n      paths: [shared/queue]\n` },
      'worker: also deploy on shared/queue',
    );
    h.source.reset();
    await triggerDeployments(pushOf(warm, retrigger), h.deps);
    expect(h.source.configReads()).toContain('apps/worker/app.pipecd.yaml');
    expect(h.source.configReads()).not.toContain('apps/api/app.pipecd.yaml');

    h.source.reset();
    const queue = await writeAndCommit(repo.dir, { 'shared/queue/schema.json': '{}\n' }, 'queue schema');
    await triggerDeployments(pushOf(retrigger, queue), h.deps);
    expect(h.workflow.started.filter((s) => s.input.commit.sha === queue).map((s) => s.input.app.name)).toEqual(['worker']);
    expect(h.source.configReads()).toEqual(['apps/worker/app.pipecd.yaml']);
  });

  it('still triggers an app on a change outside its directory when its settings come from the cache', async () => {
    const repo = await newRepo(threeAppRepo());
    const h = await harness(repo.dir);
    const warm = await writeAndCommit(repo.dir, { 'docs/README.md': 'docs\n' }, 'docs only');
    await triggerDeployments(pushOf(repo.sha, warm), h.deps);
    h.source.reset();

    const assets = await writeAndCommit(repo.dir, { 'shared/web-assets/logo.svg': '<svg/>\n' }, 'new logo');
    const out = await triggerDeployments(pushOf(warm, assets), h.deps);

    expect(out.results.map((r) => [r.app, r.status])).toEqual([['web', 'STARTED']]);
    expect(h.source.configReads()).toEqual(['apps/web/app.pipecd.yaml']);
  });
});

describe('DynamoHistoryStore as the persistent tier', () => {
  it('gives a cold container the settings another one stored, over more ids than one BatchGetItem takes', async () => {
    const tableName = `cache-history-${++tableSeq}`;
    const history = await historyTableOn(dynamo, tableName);
    const ids = Array.from({ length: 150 }, (_, i) => `blob-${i}`);
    await new TieredTriggerCache(new LruTriggerCache(), history, logger).putMany(new Map(ids.map((id, i) => [id, settings([`shared/${i}`])])));

    const cold = new LruTriggerCache();
    const found = await new TieredTriggerCache(cold, history, logger).getMany([...ids, 'never-stored']);

    expect(found.size).toBe(150);
    expect(found.get('blob-149')?.paths).toEqual(['shared/149']);
    expect(cold.size).toBe(150);
  });
});

describe('deferring the analysis of a push with too many unread configs', () => {
  it('hands the whole push to the deferrer without reading, and the continuation starts every affected app', async () => {
    const repo = await newRepo(threeAppRepo());
    const h = await harness(repo.dir, { maxAnalysisReads: 2 });
    const files = Object.fromEntries(['api', 'web', 'worker'].map((app) => [`apps/${app}/taskdef.yaml`, taskdef(app, 'cpu: "256"\n')]));
    const all = await writeAndCommit(repo.dir, files, 'touch every app');

    const out = await triggerDeployments(pushOf(repo.sha, all), h.deps);
    expect(out).toEqual({ results: [], deletedApps: [], deferredAnalysis: { configs: 3 } });
    expect(h.source.reads).toEqual([]);
    expect(h.workflow.started).toHaveLength(0);

    await h.deferrer.idle();
    expect(started(h)).toEqual(['api', 'web', 'worker']);
  });

  it('answers the webhook 202 with the count of configs, and starts the apps asynchronously', async () => {
    const repo = await newRepo(threeAppRepo());
    const h = await harness(repo.dir, { maxAnalysisReads: 0 });
    const api = await writeAndCommit(repo.dir, { 'apps/api/taskdef.yaml': taskdef('api', 'cpu: "256"\n') }, 'api');
    const payload = buildPush({ repo: 'stepcd/mono', before: repo.sha, after: api, changed: { modified: ['apps/api/taskdef.yaml'] } });

    const res = await handleGithubWebhook(signedRequest({ secret: 'secret', event: 'push', payload }), h.deps);
    expect(res.statusCode).toBe(202);
    expect(JSON.parse(res.body)).toEqual({ status: 'accepted', sha: api, deferred: 'analysis', configs: 3 });

    await h.deferrer.idle();
    expect(started(h)).toEqual(['api']);
  });

  it('runs a deferred whole push delivered to the Lambda handler without deferring it again', async () => {
    const repo = await newRepo(threeAppRepo());
    const h = await harness(repo.dir, { maxAnalysisReads: 0 });
    const web = await writeAndCommit(repo.dir, { 'apps/web/taskdef.yaml': taskdef('web', 'cpu: "256"\n') }, 'web');
    const event: DeferredPushEvent = { source: 'stepcd.deferred-push', push: pushOf(repo.sha, web), scope: WHOLE_PUSH };

    await createHandler(h.deps)(event);

    expect(started(h)).toEqual(['web']);
    expect(h.cache.size).toBe(3);
  });
});

describe('a push to a 1,000-app repository', () => {
  it('reads no more configs than the apps it changes once the cache is warm', async () => {
    const files: Record<string, string> = {};
    const names = Array.from({ length: 1000 }, (_, i) => `app-${String(i).padStart(4, '0')}`);
    for (const name of names) {
      files[`apps/${name}/app.pipecd.yaml`] = threeAppRepo()['apps/api/app.pipecd.yaml']!.replace(/name: api$/m, `name: ${name}`);
      files[`apps/${name}/taskdef.yaml`] = taskdef(name);
      files[`apps/${name}/servicedef.yaml`] = `cluster: demo\nserviceName: ${name}\ndesiredCount: 1\ndeploymentController:\n  type: EXTERNAL\n`;
    }
    const repo = await newRepo(files);
    const h = await harness(repo.dir);

    // Cold cache: 1,000 configs to read is over the budget, so the push is deferred and answered at once.
    const docs = await writeAndCommit(repo.dir, { 'README.md': 'monorepo\n' }, 'readme');
    const cold = await triggerDeployments(pushOf(repo.sha, docs), h.deps);
    expect(cold.deferredAnalysis).toEqual({ configs: 1000 });
    await h.deferrer.idle();
    expect(h.source.configReads()).toHaveLength(1000);

    h.source.reset();
    const changed = ['app-0007', 'app-0500', 'app-0999'];
    const bump = await writeAndCommit(repo.dir, Object.fromEntries(changed.map((n) => [`apps/${n}/taskdef.yaml`, taskdef(n, 'cpu: "512"\n')])), 'bump three');
    const warm = await triggerDeployments(pushOf(docs, bump), h.deps);

    expect(warm.deferredAnalysis).toBeUndefined();
    expect(warm.results.map((r) => [r.app, r.status])).toEqual(changed.map((n) => [n, 'STARTED']));
    expect(h.source.configReads().length).toBeLessThanOrEqual(changed.length);
  }, 60_000);
});
