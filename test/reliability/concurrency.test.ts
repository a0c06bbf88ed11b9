import './support/quiet.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINAL_STATUSES, type DeploymentRecord } from '../../src/domain/deployment.js';
import { DEMO_TOPOLOGY } from '../../src/local/seed.js';
import { createLogger } from '../../src/logging.js';
import { deploymentIdFor } from '../../src/plan/ids.js';
import { exampleFiles } from '../support/examples.js';
import { REPO, startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { createSummary } from './support/summary.js';
import { waitFor } from '../support/waits.js';

/** Per-app serialization under bursts of pushes, and many apps at once, through the whole stack. */
const summary = createSummary('concurrency');
const MANY = 50;
const many = Array.from({ length: MANY }, (_, i) => `svc-${String(i).padStart(2, '0')}`);
let h: StackHarness;

beforeAll(async () => {
  h = await startStackHarness({
    logger: createLogger('reliability', { logLevel: 'SILENT' }),
    topology: { ...DEMO_TOPOLOGY, apps: [...DEMO_TOPOLOGY.apps, ...many.map((name) => ({ name, canary: false }))] },
  });
});
afterAll(async () => {
  await h?.stop();
});

const history = () => h.stack.core.history;
const finalRecord = (id: string, timeoutMs = 60_000) =>
  waitFor(
    `deployment ${id} to end`,
    async () => {
      const r = await history().getDeployment(id);
      return r && FINAL_STATUSES.includes(r.status) ? r : undefined;
    },
    { timeoutMs, everyMs: 10 },
  );
const servingVersions = (app: string) =>
  Object.keys(h.stack.cloud.emulator.probe({ listenerArn: h.stack.topology!.listenerArn, requests: 100, path: `/${app}/` }).byVersion);

describe('concurrency', { timeout: 120_000 }, () => {
  it('10 pushes for one app in quick succession run one at a time; stale queued ones are SUPERSEDED and the last is deployed', async () => {
    await summary.track('10 pushes for one app', 'serialized by the app lock; queue keeps only the newest', async () => {
      const first = await h.push(await exampleFiles(['simple']), 'add simple');
      await finalRecord(first.body.apps![0]!.deploymentId);

      // Hold every stage Lambda until all ten pushes are in, as a slow rollout would: the first run
      // holds the lock meanwhile, so the others queue behind it.
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const undo = h.stack.interceptFunction('stage', async (event, context, next) => {
        await gate;
        return next(event, context);
      });
      const ids: string[] = [];
      try {
        for (let i = 1; i <= 10; i++) {
          const pushed = await h.bumpImage('simple', `3.${i}.0`);
          ids.push(pushed.body.apps![0]!.deploymentId);
        }
      } finally {
        release();
        undo();
      }
      const records: DeploymentRecord[] = [];
      for (const id of ids) records.push(await finalRecord(id));

      const last = records.at(-1)!;
      expect(last.status, last.reason).toBe('SUCCESS');
      for (const r of records) expect(['SUCCESS', 'SUPERSEDED']).toContain(r.status);
      const superseded = records.filter((r) => r.status === 'SUPERSEDED');
      expect(superseded.length).toBeGreaterThan(0);
      for (const r of superseded) expect(r.state?.touched ?? false, `${r.deploymentId} touched ECS`).toBe(false);
      // Serialized: the runs that did deploy never overlapped in time.
      const ran = records.filter((r) => r.status === 'SUCCESS').map((r) => ({ start: r.stages[0]!.startedAt!, end: r.endedAt! }));
      for (let i = 1; i < ran.length; i++) expect(ran[i]!.start >= ran[i - 1]!.end).toBe(true);
      expect(servingVersions('simple')).toEqual([last.state?.taskDefinitionArn]);
      expect((await history().getAppState('simple')).lockHolder).toBeUndefined();
    });
  });

  it(`${MANY} apps in one push all deploy; none is lost`, async () => {
    await summary.track(`${MANY} apps at once`, 'one commit, inline and deferred triggers alike', async () => {
      const example = await exampleFiles(['simple']);
      const files: Record<string, string> = {};
      for (const app of many) {
        for (const [path, text] of Object.entries(example)) {
          const file = path.slice('apps/simple/'.length);
          let out = text.replaceAll('simple', app);
          if (file === 'app.pipecd.yaml') out = out.replace(/targetGroupArn: \S+/, `targetGroupArn: ${h.stack.topology!.targetGroups[app]!.primary}`);
          files[`apps/${app}/${file}`] = out;
        }
      }
      const pushed = await h.push(files, `${MANY} apps`);
      expect(pushed.status).toBe(200);
      expect(pushed.body.apps).toHaveLength(MANY);

      const records = await Promise.all(
        many.map((app) => finalRecord(deploymentIdFor({ repo: REPO, configPath: `apps/${app}/app.pipecd.yaml`, sha: pushed.sha }), 90_000)),
      );
      expect(records.filter((r) => r.status !== 'SUCCESS').map((r) => `${r.app.name}: ${r.status} ${r.reason}`)).toEqual([]);
      for (const r of records) expect(servingVersions(r.app.name)).toEqual([r.state?.taskDefinitionArn]);
    });
  });
});
