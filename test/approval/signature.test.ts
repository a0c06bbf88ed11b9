import { describe, expect, it } from 'vitest';
import { computeSlackSignature, ReplayCache, verifySlackRequest } from '../../src/slack/signature.js';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const NOW = 1_767_225_600;
const BODY = 'payload=%7B%22type%22%3A%22block_actions%22%7D';

function signed(ts: number, body = BODY, secret = SECRET) {
  return { timestamp: String(ts), signature: computeSlackSignature(secret, String(ts), body), rawBody: body };
}

describe('verifySlackRequest', () => {
  it("matches the example in Slack's documentation", () => {
    // https://api.slack.com/authentication/verifying-requests-from-slack
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(computeSlackSignature('8f742231b10e8888abcd99yyyzzz85a5', '1531420618', body)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });

  it.each([
    ['success: a fresh, correctly signed request', signed(NOW), { ok: true }],
    ['success: a request 4 minutes old', signed(NOW - 240), { ok: true }],
    ['fail: a wrong secret', signed(NOW, BODY, 'other-secret'), { ok: false, reason: 'bad-signature' }],
    ['fail: a tampered body', { ...signed(NOW), rawBody: `${BODY}x` }, { ok: false, reason: 'bad-signature' }],
    ['fail: a truncated signature', { ...signed(NOW), signature: 'v0=abc' }, { ok: false, reason: 'bad-signature' }],
    ['fail: a timestamp over 5 minutes old', signed(NOW - 301), { ok: false, reason: 'stale' }],
    ['fail: a timestamp over 5 minutes ahead', signed(NOW + 301), { ok: false, reason: 'future' }],
    ['fail: no signature header', { ...signed(NOW), signature: undefined }, { ok: false, reason: 'missing-headers' }],
    ['fail: no timestamp header', { ...signed(NOW), timestamp: undefined }, { ok: false, reason: 'missing-headers' }],
    ['fail: a non-numeric timestamp', { ...signed(NOW), timestamp: 'soon' }, { ok: false, reason: 'missing-headers' }],
  ])('%s', (_name, request, expected) => {
    expect(verifySlackRequest(request, SECRET, NOW)).toEqual(expected);
  });

  it('refuses the same signed request a second time within the window', () => {
    const replays = new ReplayCache();
    const request = signed(NOW);
    expect(verifySlackRequest(request, SECRET, NOW, replays)).toEqual({ ok: true });
    expect(verifySlackRequest(request, SECRET, NOW + 10, replays)).toEqual({ ok: false, reason: 'replay' });
  });

  it('does not let a forged request poison the replay cache', () => {
    const replays = new ReplayCache();
    const good = signed(NOW);
    expect(verifySlackRequest({ ...good, rawBody: 'forged' }, SECRET, NOW, replays).ok).toBe(false);
    expect(verifySlackRequest(good, SECRET, NOW, replays)).toEqual({ ok: true });
  });
});

describe('ReplayCache', () => {
  it('forgets signatures once they are outside the window, and stays bounded', () => {
    const cache = new ReplayCache(2);
    expect(cache.remember('a', NOW, NOW)).toBe(true);
    expect(cache.remember('b', NOW, NOW)).toBe(true);
    expect(cache.remember('c', NOW, NOW)).toBe(true);
    expect(cache.size).toBe(2);
    expect(cache.remember('c', NOW, NOW)).toBe(false);
    expect(cache.remember('d', NOW + 400, NOW + 400)).toBe(true);
    expect(cache.size).toBe(1);
  });
});
