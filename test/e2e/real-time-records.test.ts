import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScaledClock } from '../../src/local/clock.js';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';

const HOUR = 3_600_000;

/**
 * The local cloud runs its engine clock ahead of real time (60x, and further when a test advances
 * it), so that waits pass quickly. What people read is stamped with real time all the same: history
 * timestamps, stage durations and events (issue 12: "a 30-minute approval showed took 54m08s").
 */
describe('records and events carry real time while the engine clock runs ahead', () => {
  let h: StackHarness;
  let realStart: number;

  beforeAll(async () => {
    h = await startStackHarness();
    const clock = h.stack.cloud.clock;
    if (!(clock instanceof ScaledClock)) throw new Error('the local stack should run a ScaledClock');
    clock.advance(6 * HOUR);
    realStart = Date.now();
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('stamps a deployment, its stages and its events with real time', async () => {
    const body = await h.deployBaseline(await exampleFiles(['canary']));
    const id = body.apps![0]!.deploymentId;
    const realEnd = Date.now();
    const inRealWindow = (iso: string | undefined) => {
      expect(iso, 'a timestamp').toBeDefined();
      const t = Date.parse(iso!);
      expect(t).toBeGreaterThanOrEqual(realStart - 1000);
      expect(t).toBeLessThanOrEqual(realEnd + 1000);
    };
    // The engine clock is hours ahead: a timestamp taken from it could not pass the checks below.
    expect(h.stack.cloud.clock.now() - realEnd).toBeGreaterThan(5 * HOUR);

    const record = (await h.stack.core.history.getDeployment(id))!;
    expect(record.status).toBe('SUCCESS');
    for (const at of [record.createdAt, record.updatedAt, record.endedAt]) inRealWindow(at);
    expect(record.stages.length).toBeGreaterThan(0);
    for (const stage of record.stages) {
      inRealWindow(stage.startedAt);
      inRealWindow(stage.endedAt);
    }
    const events = h.stack.cloud.events.events.filter((e) => e.source === 'stepcd' && (e.detail as { deploymentId?: string }).deploymentId === id);
    expect(events.map((e) => e.detailType)).toContain('DEPLOYMENT_SUCCEEDED');
    for (const e of events) {
      const detail = e.detail as { startedAt?: string; endedAt?: string };
      inRealWindow(detail.startedAt);
      if (detail.endedAt) inRealWindow(detail.endedAt);
    }
  });
});
