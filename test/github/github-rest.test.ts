import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThrottledError } from '../../src/errors.js';
import { GithubRest, retryAfterSeconds } from '../../src/github/github-rest.js';
import { GithubStandin } from '../gitops/github-standin.js';
import { DeploymentsApi } from './deployments-standin.js';

const REPO = 'octo/apps';
const SHA = 'a'.repeat(40);

describe('GithubRest: secondary rate limits', () => {
  let github: GithubStandin;

  beforeAll(async () => {
    github = await new GithubStandin(REPO).start();
    new DeploymentsApi(github);
  });
  afterAll(async () => {
    await github?.stop();
  });

  const client = (waits: number[], maxRetryAfterSeconds = 5) =>
    new GithubRest({ repo: REPO, auth: 'ghp_x', baseUrl: github.url, maxRetryAfterSeconds, sleep: async (ms) => void waits.push(ms) });
  const list = (rest: GithubRest) => rest.octokit.request('GET /repos/{owner}/{repo}/deployments', { owner: 'octo', repo: 'apps', sha: SHA });

  it('waits retry-after seconds on a 403 secondary limit, then sends the same request once more', async () => {
    const waits: number[] = [];
    github.fail(/\/deployments$/, 403, { message: 'You have exceeded a secondary rate limit', headers: { 'retry-after': '3' } });
    const before = github.requests.length;
    const { status } = await list(client(waits));
    expect(status).toBe(200);
    expect(waits).toEqual([3000]);
    expect(github.requests.slice(before).map((r) => `${r.method} ${r.path}?${r.query}`)).toEqual([
      `GET /repos/${REPO}/deployments?sha=${SHA}`,
      `GET /repos/${REPO}/deployments?sha=${SHA}`,
    ]);
  });

  it('throws ThrottledError without waiting when GitHub asks for longer than it may wait', async () => {
    const waits: number[] = [];
    github.fail(/\/deployments$/, 429, { headers: { 'retry-after': '120' } });
    await expect(list(client(waits))).rejects.toBeInstanceOf(ThrottledError);
    expect(waits).toEqual([]);
  });

  it('throws ThrottledError when the retry is limited again', async () => {
    const waits: number[] = [];
    github.fail(/\/deployments$/, 403, { headers: { 'retry-after': '1' }, times: 2 });
    await expect(list(client(waits))).rejects.toBeInstanceOf(ThrottledError);
    expect(waits).toEqual([1000]);
  });

  it.each([
    ['success: retry-after on 403', { status: 403, response: { headers: { 'retry-after': '7' } } }, 7],
    [
      'success: a primary limit waits until x-ratelimit-reset',
      { status: 403, response: { headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1010' } } },
      10,
    ],
    ['success: a bare 429 waits a minute, as GitHub documents', { status: 429, response: { headers: {} } }, 60],
    ['fail: a 403 that is no rate limit', { status: 403, response: { headers: {} } }, undefined],
    ['fail: a 500', { status: 500, response: { headers: { 'retry-after': '1' } } }, undefined],
  ])('%s', (_name, err, expected) => {
    expect(retryAfterSeconds(err, 1_000_000)).toBe(expected);
  });
});
