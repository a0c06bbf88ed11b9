import { describe, expect, it } from 'vitest';
import { toLogEntry } from '../../src/cli/logs.js';
import type { ExecutionEvent } from '../../src/cli/ports.js';

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
