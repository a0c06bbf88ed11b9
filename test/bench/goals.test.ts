import { describe, expect, it } from 'vitest';
import { goalsOf } from '../../bench/goals.js';

const ROWS = [
  'transitions',
  'invocations',
  'transitionsPerHourWaiting',
  'rollbackCallsBeforeTraffic',
  'largestBundleBytes',
  'coldImportMs',
  'fanout1000AllStartedMs',
  'githubReadsPerApp',
  'costPerCanaryUsd',
];

describe('the bench goals table', () => {
  it('reports every row, unmeasured ones as null and not met', () => {
    const goals = goalsOf({ bundles: { skipped: true }, fanout: { error: 'boom' } });

    expect(Object.keys(goals).sort()).toEqual([...ROWS].sort());
    expect(goals.largestBundleBytes).toMatchObject({ value: null, met: false });
    expect(goals.fanout1000AllStartedMs).toMatchObject({ value: null, met: false });
  });

  it('takes the largest bundle and the slowest import, and judges each against its goal', () => {
    const goals = goalsOf({
      bundles: { a: { bytes: 900_000, coldImportMs: 80 }, b: { bytes: 1_200_000, coldImportMs: 120 } },
      fanout: { repoApps: 1000, allStartedMs: 9_000 },
      rollback: { beforeTraffic: { awsCalls: 5 } },
      waiting: { stability: { perHour: 720 }, approval: { perHour: 0 } },
    });

    expect(goals.largestBundleBytes).toMatchObject({ value: 1_200_000, met: false });
    expect(goals.coldImportMs).toMatchObject({ value: 120, met: false });
    expect(goals.fanout1000AllStartedMs).toMatchObject({ value: 9_000, met: true });
    expect(goals.rollbackCallsBeforeTraffic).toMatchObject({ value: 5, met: false });
    expect(goals.transitionsPerHourWaiting).toMatchObject({ value: 720, met: false, byKind: { stability: 720, approval: 0 } });
  });

  it('takes the dearest wait, and reports none when a kind failed or the section did not run', () => {
    expect(goalsOf({ waiting: { approval: { perHour: 0 }, queue: { perHour: 24 } } }).transitionsPerHourWaiting).toMatchObject({ value: 24, met: true });
    expect(goalsOf({ waiting: { approval: { perHour: 0 }, queue: { error: 'boom' } } }).transitionsPerHourWaiting).toMatchObject({
      value: null,
      met: false,
      byKind: { approval: 0, queue: null },
    });
    expect(goalsOf({ waiting: { skipped: true } }).transitionsPerHourWaiting).toMatchObject({ value: null, met: false });
  });

  it('meets the cost goal only if an hour of the dearest wait still fits under $0.001', () => {
    const canary = { transitions: { includingPollLoops: 30 }, lambdaInvocations: { total: 10 }, cost: { usd: { total: 0.0008 } } };
    expect(goalsOf({ canary, waiting: { approval: { perHour: 0 } } }).costPerCanaryUsd?.met).toBe(true);
    expect(goalsOf({ canary, waiting: { stability: { perHour: 720 } } }).costPerCanaryUsd?.met).toBe(false);
  });
});
