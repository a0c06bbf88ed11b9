import { describe, expect, it } from 'vitest';
import { ROLLBACK_LIMIT_SECONDS, rollbackOverdue } from '../../src/orchestrator/rollback-limit.js';

describe('rollbackOverdue', () => {
  const start = '2026-01-01T00:00:00.000Z';
  it.each([
    ['success: within the limit', 0, false],
    ['success: exactly at the limit', ROLLBACK_LIMIT_SECONDS * 1000, false],
    ['fail: past the limit', ROLLBACK_LIMIT_SECONDS * 1000 + 1, true],
  ])('%s', (_name, elapsedMs, expected) => {
    expect(rollbackOverdue(start, Date.parse(start) + elapsedMs)).toBe(expected);
  });

  it('leaves room for the restored set to use its whole 1800 s stable timeout', () => {
    expect(ROLLBACK_LIMIT_SECONDS).toBeGreaterThan(1800);
  });
});
