import { describe, expect, it } from 'vitest';
import { toLogEntry } from '../../src/cli/logs.js';
import type { ExecutionEvent } from '../../src/cli/ports.js';
import { groupByStage } from '../../src/cli/stage-logs.js';

describe('toLogEntry', () => {
  const at = '2026-01-01T00:00:00.000Z';
  it.each<[string, ExecutionEvent, ReturnType<typeof toLogEntry>]>([
    ['success: a state event names its state', { at, type: 'TaskStateEntered', state: 'Stage' }, { at, type: 'TaskStateEntered', state: 'Stage' }],
    [
      'success: a failure joins error and cause',
      { at, type: 'ExecutionFailed', error: 'stepcd.Rejected', cause: 'by bob' },
      { at, type: 'ExecutionFailed', detail: 'stepcd.Rejected: by bob' },
    ],
    [
      'success: an error without a cause is shown alone',
      { at, type: 'TaskFailed', error: 'States.Timeout' },
      { at, type: 'TaskFailed', detail: 'States.Timeout' },
    ],
    ['success: a multi-line cause becomes one line', { at, type: 'TaskFailed', error: 'E', cause: 'a\n  b' }, { at, type: 'TaskFailed', detail: 'E: a b' }],
    ['fail: an event without a timestamp still prints, with an empty time', { type: 'ExecutionStarted' }, { at: '', type: 'ExecutionStarted' }],
  ])('%s', (_name, event, expected) => {
    expect(toLogEntry(event)).toEqual(expected);
  });

  it('cuts a long cause to 160 characters ending in an ellipsis', () => {
    const detail = toLogEntry({ type: 'TaskFailed', error: 'E', cause: 'x'.repeat(400) }).detail;
    expect(detail).toHaveLength(160);
    expect(detail?.endsWith('…')).toBe(true);
  });
});

describe('groupByStage', () => {
  const t = (s: number) => `2026-01-01T00:00:${String(s).padStart(2, '0')}.000Z`;
  const events = [
    { at: t(0), type: 'ExecutionStarted' },
    { at: t(1), type: 'TaskStateEntered', state: 'Begin' },
    { at: t(2), type: 'TaskStateEntered', state: 'ECS_TRAFFIC_ROUTING' },
    { at: t(5), type: 'TaskStateEntered', state: 'ECS_TRAFFIC_ROUTING' },
    { at: t(6), type: 'TaskFailed', detail: 'stepcd.Unhealthy: canary targets unhealthy' },
    { at: t(9), type: 'TaskStateEntered', state: 'RollbackBegin' },
    { at: t(12), type: 'ExecutionFailed' },
  ];
  const stages = [
    { index: 0, name: 'ECS_TRAFFIC_ROUTING' as const, status: 'SUCCESS' as const },
    { index: 1, name: 'ECS_TRAFFIC_ROUTING' as const, status: 'FAILURE' as const, detail: 'canary unhealthy' },
  ];
  const error = { at: t(6), stage: 'ECS_TRAFFIC_ROUTING', error: 'stepcd.Unhealthy', cause: 'canary targets unhealthy' };

  it('opens one section per stage entered, in plan order, timed until the next section', () => {
    const groups = groupByStage(events, stages, [error]);
    expect(groups.map((g) => [g.part, g.index, g.name, g.status, g.durationMs])).toEqual([
      ['begin', undefined, 'begin', undefined, 2000],
      ['stage', 0, 'ECS_TRAFFIC_ROUTING', 'SUCCESS', 3000],
      ['stage', 1, 'ECS_TRAFFIC_ROUTING', 'FAILURE', 4000],
      ['rollback', undefined, 'rollback', undefined, 3000],
    ]);
  });

  it('puts an error on the failed stage of its kind, not on every stage of that kind', () => {
    const groups = groupByStage(events, stages, [error]);
    expect(groups.map((g) => g.errors.length)).toEqual([0, 0, 1, 0]);
  });

  it('fail: a deployment without an execution still shows its errors', () => {
    expect(groupByStage([], [], [error])).toMatchObject([{ part: 'begin', errors: [error] }]);
  });
});
