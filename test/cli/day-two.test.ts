import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointsOf, writeLocalEndpoints } from '../../src/cli/local-state.js';
import type { StageLog } from '../../src/cli/stage-logs.js';
import type { AppStatus } from '../../src/status/app-status.js';
import { createLogger } from '../../src/logging.js';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { json, runCli } from './support.js';

/** `stepcd status`, `logs` per stage and `drift` against a local stack, over `.stepcd/local.json`. */
describe('day-two commands against a local stack (--local)', () => {
  let h: StackHarness;
  let cwd: string;
  let canaryId: string;
  const cli = (...argv: string[]) => runCli([...argv, '--local'], { cwd });

  beforeAll(async () => {
    h = await startStackHarness({ logger: createLogger('test', { logLevel: 'SILENT' }) });
    cwd = await mkdtemp(join(tmpdir(), 'stepcd-cli-'));
    await writeLocalEndpoints(cwd, endpointsOf(h.stack, { repoDir: h.repoDir, pid: process.pid }));
    await h.deployBaseline(await exampleFiles(['canary']));
  });
  afterAll(async () => {
    await h?.stop();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  it('shows the status of a canary in progress: both task sets, the 80/20 weights, the running deployment', async () => {
    const baseline = json<AppStatus>(await cli('status', 'canary', '--json'));
    expect(baseline.taskSets.map((s) => s.status)).toEqual(['PRIMARY']);
    expect(baseline.drift).toMatchObject({ status: 'IN_SYNC', items: [] });

    const { id, arn } = await h.deploy(await h.imageBump('canary', '1.1.0'), 'canary: 1.1.0');
    canaryId = id;
    await h.waitForStatus(id, 'WAITING_APPROVAL');
    const r = await cli('status', 'canary', '--json');
    expect(r.code).toBe(0);
    const during = json<AppStatus>(r);
    expect(during.running).toBe(id);
    expect(during.deployed?.deploymentId).toBe(baseline.deployed?.deploymentId);
    expect(during.taskSets.map((s) => [s.status, s.scalePercent]).sort()).toEqual([
      ['ACTIVE', 30],
      ['PRIMARY', 100],
    ]);
    expect(during.rules.length).toBeGreaterThan(0);
    for (const rule of during.rules) expect(rule.weights).toEqual({ primary: 80, canary: 20 });
    // While a deployment runs its task sets are meant to differ: no drift verdict then.
    expect(during).not.toHaveProperty('drift');
    const text = await cli('status', 'canary');
    expect(text.stdout).toContain('service   canary in demo: ACTIVE, desired 4');
    expect(text.stdout).toMatch(/PRIMARY\s+STEADY_STATE\s+100%/);

    await h.stack.approvals.approve({ deploymentId: id, user: 'U-LEAD', via: 'cli', now: new Date() });
    expect((await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 30_000 })).status).toBe('SUCCEEDED');
    const after = json<AppStatus>(await cli('status', 'canary', '--json'));
    expect(after.deployed?.deploymentId).toBe(id);
    // The deleted canary and old primary drain for the deregistration delay; what serves is the new primary alone.
    expect(after.taskSets.filter((s) => s.status !== 'DRAINING').map((s) => s.status)).toEqual(['PRIMARY']);
    expect(after.drift?.status).toBe('IN_SYNC');
  });

  it('groups the logs per stage with durations, and prints every raw event behind --raw', async () => {
    const r = await cli('logs', canaryId, '--json');
    expect(r.code).toBe(0);
    const { stages } = json<{ stages: StageLog[] }>(r);
    const run = stages.filter((s) => s.part === 'stage');
    expect(run.map((s) => [s.index, s.name, s.status])).toEqual([
      [0, 'ECS_CANARY_ROLLOUT', 'SUCCESS'],
      [1, 'ECS_TRAFFIC_ROUTING', 'SUCCESS'],
      [2, 'WAIT_APPROVAL', 'SUCCESS'],
      [3, 'ECS_PRIMARY_ROLLOUT', 'SUCCESS'],
      [4, 'ECS_TRAFFIC_ROUTING', 'SUCCESS'],
      [5, 'ECS_CANARY_CLEAN', 'SUCCESS'],
    ]);
    for (const s of run) expect(s.durationMs).toBeGreaterThanOrEqual(0);
    expect(stages[0]?.part).toBe('begin');
    expect(stages.at(-1)?.part).toBe('complete');

    const text = await cli('logs', canaryId);
    expect(text.stdout).toMatch(/^== stage 0 ECS_CANARY_ROLLOUT SUCCESS \(\d+[smh]/m);
    expect(text.stdout).not.toMatch(/^TIME\s+EVENT/m);
    const raw = await cli('logs', canaryId, '--raw');
    expect(raw.stdout).toMatch(/^TIME\s+EVENT\s+STATE\s+DETAIL/m);
    expect(raw.stdout).toContain('ExecutionStarted');
  });

  it('checks drift on demand, lists it and exits 1 while an app has drifted', async () => {
    const clean = await cli('drift', '--check');
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/canary\s+IN_SYNC/);

    const ecs = new ECSClient(h.stack.cloud.clientConfigs.ecs);
    try {
      await ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'canary', desiredCount: 6 }));
    } finally {
      ecs.destroy();
    }
    const drifted = await cli('drift', 'canary', '--check');
    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toContain('service.desiredCount: expected 4, found 6');
    const listed = json<{ apps: { app: string; status: string }[] }>(await cli('drift', '--json'));
    expect(listed.apps).toMatchObject([{ app: 'canary', status: 'DRIFTED' }]);
    const status = json<AppStatus>(await cli('status', 'canary', '--json'));
    expect(status.drift).toMatchObject({ status: 'DRIFTED', lastCheck: { status: 'DRIFTED' } });
  });
});
