import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSummary } from '../reliability/support/summary.js';
import { postSignedWebhook } from '../../src/cli/push-webhook.js';
import type { DeploymentRecord } from '../../src/domain/deployment.js';
import { writeAndCommit } from '../../src/local/git-repo.js';
import { buildPush } from '../support/github.js';
import { exampleFiles } from '../support/examples.js';
import { REPO, startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { waitFor } from '../support/waits.js';

const git = promisify(execFile);

/**
 * Issue 12 (1): GitHub delivers webhooks out of order and redelivers late, so the order of
 * deployments comes from Git ancestry, never from arrival. Pushes are committed first and their
 * webhooks delivered afterwards in the order each case needs, through the real webhook, the real
 * state machine and `git merge-base --is-ancestor` on the repository.
 */
const summary = createSummary('issue 12: commit order by ancestry');

describe('commit order by ancestry', () => {
  let h: StackHarness;
  let base: string;

  beforeAll(async () => {
    h = await startStackHarness();
    const res = await h.deployBaseline(await exampleFiles(['simple']), 'add simple');
    base = (await h.stack.core.history.getDeployment(res.apps![0]!.deploymentId))!.commit.sha;
  });
  afterAll(async () => {
    await h?.stop();
  });

  const history = () => h.stack.core.history;

  /** Commits one image bump of the simple app without telling anyone; returns the sha and its parent. */
  async function commitTag(tag: string, parent: string): Promise<{ sha: string; before: string; tag: string }> {
    const files = await h.imageBump('simple', tag);
    const sha = await writeAndCommit(h.repoDir, files, `simple: ${tag}`);
    return { sha, before: parent, tag };
  }

  async function commitChain(tags: string[], from: string) {
    const chain = [];
    let parent = from;
    for (const tag of tags) {
      const c = await commitTag(tag, parent);
      chain.push(c);
      parent = c.sha;
    }
    return chain;
  }

  /** Delivers the push of one commit, as GitHub would (late or not), with its own pushed_at. */
  async function deliver(c: { sha: string; before: string }, pushedAt = Math.floor(Date.now() / 1000)) {
    const payload = buildPush({ repo: REPO, before: c.before, after: c.sha, changed: { modified: ['apps/simple/taskdef.yaml'] }, pushedAt });
    const reply = await postSignedWebhook(`${h.stack.front.url}/webhooks/github`, h.stack.secrets.githubWebhookSecret, payload, {
      delivery: `d-${c.sha}-${pushedAt}`,
    });
    expect(reply.status).toBe(200);
    const app = reply.body.apps![0]!;
    expect(app.status).toBe('STARTED');
    return { id: app.deploymentId, arn: app.executionArn! };
  }

  const ended = (id: string) =>
    waitFor(
      `deployment ${id} to end`,
      async () => {
        const r = await history().getDeployment(id);
        return r && ['SUCCESS', 'FAILURE', 'CANCELLED', 'SUPERSEDED'].includes(r.status) ? r : undefined;
      },
      { timeoutMs: 60_000 },
    );

  const liveVersions = () =>
    Object.keys(h.stack.cloud.emulator.probe({ listenerArn: h.stack.topology!.listenerArn, requests: 40, path: '/simple/' }).byVersion);

  async function isAncestor(a: string, b: string): Promise<boolean> {
    try {
      await git('git', ['-C', h.repoDir, 'merge-base', '--is-ancestor', a, b]);
      return true;
    } catch {
      return false;
    }
  }

  /** No SUCCESS replaced a newer commit: each later SUCCESS is a descendant of every earlier one. */
  async function expectNeverOlderOverNewer(records: DeploymentRecord[]) {
    const successes = records.filter((r) => r.status === 'SUCCESS').sort((a, b) => a.endedAt!.localeCompare(b.endedAt!));
    for (let i = 1; i < successes.length; i++) {
      expect(
        await isAncestor(successes[i - 1]!.commit.sha, successes[i]!.commit.sha),
        `${successes[i]!.commit.sha} deployed after newer ${successes[i - 1]!.commit.sha}`,
      ).toBe(true);
    }
  }

  it('success: pushes delivered newest first deploy the newest; the two older ones end SUPERSEDED naming it, with no ECS call', async () => {
    await summary.track('newest first, older ones delivered late', 'older ones SUPERSEDED naming the newest', async () => {
      const [c1, c2, c3] = await commitChain(['3.1.0', '3.2.0', '3.3.0'], base);
      const newest = await deliver(c3!);
      expect((await ended(newest.id)).status).toBe('SUCCESS');
      const mutating = h.stack.cloud.emulator.calls.count({ mutating: true });

      const late = [await deliver(c2!), await deliver(c1!)];
      for (const d of late) {
        const r = await ended(d.id);
        expect(r.status).toBe('SUPERSEDED');
        expect(r.reason).toBe(
          `superseded by commit ${c3!.sha.slice(0, 7)} (deployed, deployment ${newest.id}): ${c3!.sha.slice(0, 7)} is a newer commit of simple; nothing was deployed`,
        );
        // The end event follows the final record: wait for it rather than race it.
        const events = await waitFor(`the end event of ${d.id}`, async () => (h.eventsOf(d.id).length >= 2 ? h.eventsOf(d.id) : undefined));
        expect(events).toEqual(['DEPLOYMENT_TRIGGERED', 'DEPLOYMENT_CANCELLED']);
      }
      expect(h.stack.cloud.emulator.calls.count({ mutating: true })).toBe(mutating);
      expect((await history().getAppState('simple')).lastGood?.commitSha).toBe(c3!.sha);
      expect(liveVersions()).toEqual([(await history().getDeployment(newest.id))!.state!.taskDefinitionArn]);
    });
  });

  it('success: ten pushes delivered at once in shuffled order leave the newest live; it is never SUPERSEDED and nothing older deploys after it', async () => {
    await summary.track('ten concurrent pushes, shuffled', 'newest live, never superseded', async () => {
      const from = (await history().getAppState('simple')).lastGood!.commitSha;
      const chain = await commitChain(
        Array.from({ length: 10 }, (_, i) => `4.${i + 1}.0`),
        from,
      );
      // A fixed shuffle, so a failure reproduces: newest in the middle, oldest last.
      const order = [3, 7, 9, 0, 5, 2, 8, 6, 4, 1].map((i) => chain[9 - i]!);
      const delivered = await Promise.all(order.map((c) => deliver(c)));
      const records = await Promise.all(delivered.map((d) => ended(d.id)));

      const newest = records.find((r) => r.commit.sha === chain[9]!.sha)!;
      expect(newest.status).toBe('SUCCESS');
      for (const r of records) expect(['SUCCESS', 'SUPERSEDED']).toContain(r.status);
      await expectNeverOlderOverNewer(records);
      const appState = await history().getAppState('simple');
      expect(appState).toMatchObject({ queue: [], lastGood: { commitSha: chain[9]!.sha } });
      expect(appState.lockHolder).toBeUndefined();
      expect(liveVersions()).toEqual([newest.state!.taskDefinitionArn]);
      for (const r of records.filter((x) => x.status === 'SUPERSEDED')) {
        expect(r.reason).toMatch(
          /^superseded by commit [0-9a-f]{7} \((deployed|running|queued), deployment d-[0-9a-f]+\): [0-9a-f]{7} is a newer commit of simple; nothing was deployed$/,
        );
        expect(r.state?.touched ?? false).toBe(false);
      }
    });
  });

  it('success: after a force push the later push wins over a diverged deployed commit, and a late delivery from the old history ends SUPERSEDED saying history diverged', async () => {
    await summary.track('force push, late delivery from the old history', 'the later push wins; the record says history diverged', async () => {
      const from = (await history().getAppState('simple')).lastGood!.commitSha;
      const t0 = Math.floor(Date.now() / 1000);
      const [x] = await commitChain(['5.0.0'], from);
      const [w] = await commitChain(['5.0.1'], x!.sha);
      const xd = await deliver(x!, t0);
      expect((await ended(xd.id)).status).toBe('SUCCESS');

      // Force push: main goes back to `from` and gets a new commit y; w (on the old history) was pushed before it.
      await git('git', ['-C', h.repoDir, 'reset', '--hard', from]);
      const [y] = await commitChain(['5.1.0'], from);
      const yd = await deliver(y!, t0 + 20);
      expect((await ended(yd.id)).status).toBe('SUCCESS');

      const wd = await deliver(w!, t0 + 10);
      const late = await ended(wd.id);
      expect(late.status).toBe('SUPERSEDED');
      const y7 = y!.sha.slice(0, 7);
      expect(late.reason).toBe(
        `superseded by commit ${y7} (deployed, deployment ${yd.id}): history diverged (a force push?) and ${y7} was pushed later; nothing was deployed`,
      );
      expect((await history().getAppState('simple')).lastGood?.commitSha).toBe(y!.sha);
    });
  });
});
