import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointsOf, writeLocalEndpoints } from '../../src/cli/local-state.js';
import { createLogger } from '../../src/logging.js';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { json, runCli } from './support.js';

interface Started {
  deploymentId: string;
  executionArn: string;
  commit: string;
  strategy: string;
  actor: string;
  rollbackOf?: string;
}

/**
 * `stepcd sync` and `stepcd rollback` against a local stack: each records a deployment of its kind
 * with the caller's AWS identity and starts it through the state machine a push uses.
 */
describe('stepcd sync and stepcd rollback (--local)', () => {
  let h: StackHarness;
  let cwd: string;
  let first: { id: string; sha: string };
  let second: { id: string; sha: string };
  const cli = (...argv: string[]) => runCli([...argv, '--local'], { cwd });
  const finished = async (r: { code: number; stdout: string; stderr: string }) => {
    expect(r.code, r.stderr).toBe(0);
    const started = json<Started>(r);
    await h.stack.cloud.sfn.waitForExecution(started.executionArn, { timeoutMs: 60_000 });
    return { started, record: (await h.stack.core.history.getDeployment(started.deploymentId))! };
  };

  beforeAll(async () => {
    h = await startStackHarness({ logger: createLogger('test', { logLevel: 'SILENT' }) });
    cwd = await mkdtemp(join(tmpdir(), 'stepcd-cli-'));
    await writeLocalEndpoints(cwd, endpointsOf(h.stack, { repoDir: h.repoDir, pid: process.pid }));
    const base = await h.deployBaseline(await exampleFiles(['simple']), 'simple 1.0.0');
    first = { id: base.apps![0]!.deploymentId, sha: (await h.stack.core.history.getDeployment(base.apps![0]!.deploymentId))!.commit.sha };
    const next = await h.deploy(await h.imageBump('simple', '1.1.0'), 'simple: 1.1.0');
    await h.stack.cloud.sfn.waitForExecution(next.arn, { timeoutMs: 30_000 });
    second = { id: next.id, sha: next.sha };
  });
  afterAll(async () => {
    await h?.stop();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('rollback: redeploys the last good deployment before the live one, recorded as a rollback by the caller, over the newer live commit', async () => {
    const { started, record } = await finished(await cli('rollback', 'simple', '--json', '--as', 'alice'));
    expect(started.rollbackOf).toBe(first.id);
    expect(record.status).toBe('SUCCESS');
    expect(record.trigger).toMatchObject({ kind: 'rollback', rollbackOf: first.id, actor: started.actor });
    expect(started.actor).toMatch(/^arn:aws:/);
    expect(record.commit.sha).toBe(first.sha);
    const state = await h.stack.core.history.getAppState('simple');
    expect(state.lastGood).toMatchObject({ deploymentId: started.deploymentId, commitSha: first.sha });
    // The version serving is 1.0.0 again.
    const ecs = new ECSClient(h.stack.cloud.clientConfigs.ecs);
    try {
      const live = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: state.lastGood!.taskDefinitionArn }));
      expect(live.taskDefinition?.containerDefinitions?.[0]?.image).toBe('registry.example.com/simple:1.0.0');
    } finally {
      ecs.destroy();
    }
    const shown = await cli('deployments', 'show', started.deploymentId);
    expect(shown.stdout).toContain(`trigger   rollback by ${started.actor}, back to deployment ${first.id}`);
  });

  it('sync: deploys the branch head through the pipeline a push uses, recorded as a sync by the caller', async () => {
    const { started, record } = await finished(await cli('sync', 'simple', '--json'));
    expect(started.commit).toBe(second.sha);
    expect(record.status).toBe('SUCCESS');
    expect(record.trigger).toMatchObject({ kind: 'sync', actor: started.actor });
    expect(record.stages.map((s) => [s.name, s.status])).toEqual([['ECS_SYNC', 'SUCCESS']]);
    expect((await h.stack.core.history.getAppState('simple')).lastGood?.commitSha).toBe(second.sha);
  });

  it('sync --commit of a commit older than the live one ends SUPERSEDED, like a push of it, and deploys nothing', async () => {
    const live = (await h.stack.core.history.getAppState('simple')).lastGood!;
    const { started, record } = await finished(await cli('sync', 'simple', '--commit', first.sha.slice(0, 10), '--json'));
    expect(started.commit).toBe(first.sha);
    expect(record.status).toBe('SUPERSEDED');
    expect(record.reason).toContain(`superseded by commit ${second.sha.slice(0, 7)}`);
    expect((await h.stack.core.history.getAppState('simple')).lastGood?.deploymentId).toBe(live.deploymentId);
  });

  it.each([
    ['fail: sync of an app the repository does not have', ['sync', 'nope'], 'no app named nope'],
    ['fail: sync of a commit the repository does not have', ['sync', 'simple', '--commit', 'deadbeef'], 'commit deadbeef is not in'],
    ['fail: rollback to a deployment that does not exist', ['rollback', 'simple', '--to', 'd-missing'], 'no deployment d-missing'],
    ['fail: rollback to the live deployment', ['rollback', 'simple', '--to', '<live>'], 'is what simple runs now'],
  ])('%s', async (_name, argv, message) => {
    const live = (await h.stack.core.history.getAppState('simple')).lastGood!.deploymentId;
    const before = (await h.stack.core.history.listByApp('simple')).length;
    const r = await cli(...argv.map((a) => (a === '<live>' ? live : a)));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    expect((await h.stack.core.history.listByApp('simple')).length).toBe(before);
  });
});
