import { describe, expect, it } from 'vitest';
import { parseDuration, parsePercentage } from '../../src/manifest/index.js';

describe('parsePercentage', () => {
  it.each([
    ['success: a number', 30, 30],
    ['success: a numeric string', '30', 30],
    ['success: a string with %', '30%', 30],
    ['success: zero', 0, 0],
    ['success: one hundred percent', '100%', 100],
  ])('%s', (_name, raw, expected) => {
    expect(parsePercentage(raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['fail: above 100', 101, 'must be between 0 and 100 (got 101)'],
    ['fail: negative', -1, 'must be between 0 and 100 (got -1)'],
    ['fail: a fraction', 12.5, 'must be a whole percentage (got 12.5)'],
    ['fail: words', 'half', 'must be a percentage such as 30, "30" or "30%" (got "half")'],
    ['fail: a list', [30], 'must be a percentage such as 30, "30" or "30%" (got a list)'],
  ])('%s', (_name, raw, reason) => {
    expect(parsePercentage(raw)).toEqual({ ok: false, reason });
  });
});

describe('parseDuration', () => {
  it.each([
    ['success: seconds', '150s', 150],
    ['success: minutes', '5m', 300],
    ['success: hours and minutes', '1h30m', 5400],
    ['success: fractional hours', '1.5h', 5400],
    ['success: milliseconds round up to a whole second', '300ms', 1],
    ['success: a tenth of an hour is exactly 360s', '0.1h', 360],
    ['success: a lone zero, as in Go', '0', 0],
    ['success: mixed units', '1m30s500ms', 91],
  ])('%s', (_name, raw, expected) => {
    expect(parseDuration(raw)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['fail: a bare number', 30],
    ['fail: a number without unit', '30'],
    ['fail: an unknown unit', '5d'],
    ['fail: an empty string', ''],
    ['fail: trailing garbage', '5m later'],
  ])('%s', (_name, raw) => {
    const parsed = parseDuration(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(/^must be a duration such as "30s", "5m" or "1h30m" \(got /);
  });
});
