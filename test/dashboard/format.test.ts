import { describe, expect, it } from 'vitest';
import { clockFor, stageDuration, time, took } from '../../src/dashboard/views/format.js';
import { sampleRecord } from '../slack/fixtures.js';

const NOW = new Date('2026-01-01T00:04:30.000Z');

describe('how pages show time', () => {
  it.each([
    ['success: a real zone and language are used', 'Asia/Tokyo', 'ja-JP,ja;q=0.9', { timeZone: 'Asia/Tokyo', locale: 'ja-JP' }],
    ['fail: an unknown zone falls back to UTC', 'Mars/Olympus', 'en-GB', { timeZone: 'UTC', locale: 'en-GB' }],
    ['fail: no cookie and no Accept-Language: UTC, en', undefined, undefined, { timeZone: 'UTC', locale: 'en' }],
    ['fail: a garbage language tag falls back to en', 'UTC', '!!!', { timeZone: 'UTC', locale: 'en' }],
  ])('%s', (_name, tz, lang, expected) => {
    expect(clockFor(NOW, tz, lang)).toEqual({ now: NOW, ...expected });
  });

  it('renders <time> in the zone, with the UTC instant on hover and as datetime', async () => {
    const tokyo = String(await time('2026-01-01T00:00:00.000Z', clockFor(NOW, 'Asia/Tokyo', 'en-GB')));
    expect(tokyo).toBe('<time datetime="2026-01-01T00:00:00.000Z" title="2026-01-01 00:00:00 UTC">1 Jan 2026, 09:00:00</time>');
    const utc = String(await time('2026-01-01T00:00:00.000Z', clockFor(NOW, undefined, 'en-GB')));
    expect(utc).toContain('>1 Jan 2026, 00:00:00 UTC</time>');
  });

  it("measures running stages and deployments to the records' now, finished ones to their end", () => {
    const clock = clockFor(NOW, undefined, undefined);
    const record = sampleRecord();
    expect(record.stages.map((s) => stageDuration(s, clock))).toEqual(['2m05s', '–', '1m30s', '–']);
    expect(took(record, clock)).toBe('4m30s so far');
    expect(took({ ...record, endedAt: '2026-01-01T00:10:00.000Z' }, clock)).toBe('10m00s');
  });
});
