import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/errors.js';
import { githubTrackedBranch } from '../../src/gitops/github-branch.js';
import { GithubStandin } from './github-standin.js';

const REPO = 'acme/manifests';
const OLD = 'a'.repeat(40);
const HEAD = 'b'.repeat(40);

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  return true;
};

/** stepcd sync on AWS reads the tracked branch from GitHub: the head, a commit's subject and author, ancestry, files. */
describe('GitHub tracked branch (stepcd sync)', () => {
  let github: GithubStandin;
  beforeAll(async () => {
    github = await new GithubStandin(REPO).start();
    github.commits.set(OLD, { parents: [], files: { 'apps/web/app.pipecd.yaml': 'spec: {name: web}\n' } });
    github.commits.set(HEAD, { parents: [OLD], files: { 'apps/web/app.pipecd.yaml': 'spec: {name: web}\n' } });
    github.routes.push(({ method, path }, res) => {
      if (method !== 'GET') return false;
      if (path === 'branches/main') return json(res, 200, { name: 'main', commit: { sha: HEAD } });
      const commit = /^commits\/(.+)$/.exec(path);
      if (!commit) return false;
      const sha = [OLD, HEAD].find((s) => s.startsWith(commit[1]!));
      if (!sha) return json(res, 404, { message: 'No commit found for SHA' });
      return json(res, 200, {
        sha,
        html_url: `https://github.com/${REPO}/commit/${sha}`,
        commit: { message: `commit ${sha.slice(0, 1)}`, author: { name: 'Alice' } },
      });
    });
  });
  afterAll(async () => {
    await github?.stop();
  });

  const branch = () => githubTrackedBranch({ repo: REPO, branch: 'main', auth: 'ghp_test', baseUrl: github.url });

  it('success: the head, a commit by short sha, ancestry and files, with the caller token', async () => {
    const git = branch();
    expect(await git.head()).toBe(HEAD);
    expect(await git.commit(OLD.slice(0, 7))).toEqual({ sha: OLD, message: 'commit a', author: 'Alice', url: `https://github.com/${REPO}/commit/${OLD}` });
    expect(await git.ancestry.compare(OLD, HEAD)).toBe('ahead');
    expect(await git.source.readFile(HEAD, 'apps/web/app.pipecd.yaml')).toContain('name: web');
    expect(github.requests.every((r) => r.authorization === 'Bearer ghp_test')).toBe(true);
  });

  it('fail: a commit GitHub does not have is NotFound', async () => {
    await expect(branch().commit('deadbeef')).rejects.toBeInstanceOf(NotFoundError);
  });
});
