import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorName } from '../../src/errors.js';
import { GithubSource } from '../../src/gitops/github-source.js';
import { ZERO_SHA } from '../../src/gitops/push-event.js';
import { GithubStandin } from './github-standin.js';

const REPO = 'acme/deploys';
const TOKEN = 'ghp_test';
const sha = (n: number) => n.toString(16).padStart(40, '0');

const ROOT = sha(1);
const BASE = sha(2);
const HEAD = sha(3);
const BIG = sha(4);
const baseFiles = {
  'README.md': '# deploys\n',
  'apps/api/app.pipecd.yaml': 'kind: ECSApp\n',
  'apps/api/taskdef.yaml': 'family: api\n',
  'apps/web/app.pipecd.yaml': 'kind: ECSApp\n',
  'apps/web/taskdef.yaml': 'family: web\n',
};
const headFiles = {
  ...baseFiles,
  'apps/api/taskdef.yaml': 'family: api\ncpu: "512"\n',
  'apps/worker/app.pipecd.yaml': 'kind: ECSApp\n# ünïcödé ✓\n',
  'apps/web/taskdef.yaml': undefined,
  'apps/web/taskdef.json': '{"family":"web"}',
};
const clean = (files: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(files).filter(([, v]) => v !== undefined)) as Record<string, string>;

let github: GithubStandin;
const source = () => new GithubSource({ repo: REPO, auth: TOKEN, baseUrl: github.url });

beforeAll(async () => {
  github = await new GithubStandin(REPO).start();
  github.addCommit(ROOT, { parents: [], files: { 'README.md': '# deploys\n' } });
  github.addCommit(BASE, { parents: [ROOT], files: baseFiles });
  github.addCommit(HEAD, { parents: [BASE], files: clean(headFiles) });
  // 500 changed files: past the 300 the compare API would ever list.
  const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`apps/bulk/file-${String(i).padStart(3, '0')}.yaml`, `n: ${i}\n`]));
  github.addCommit(BIG, { parents: [HEAD], files: { ...clean(headFiles), ...many } });
});

afterAll(async () => {
  await github.stop();
});

describe('GithubSource.listFiles', () => {
  it('lists every file at the sha from one recursive tree request, sending the token', async () => {
    const before = github.calls(/git\/trees/).length;

    const files = await source().listFiles(BASE);

    expect(files.sort()).toEqual(Object.keys(baseFiles).sort());
    const calls = github.calls(/git\/trees/).slice(before);
    expect(calls).toEqual([{ method: 'GET', path: `/repos/${REPO}/git/trees/${BASE}`, authorization: `Bearer ${TOKEN}` }]);
  });

  it('lists each file with its blob id from the same tree, an id that changes with the content only', async () => {
    const s = source();
    const before = github.calls(/git\/trees/).length;
    const [base, head] = await Promise.all([s.listTree(BASE), s.listTree(HEAD)]);
    await s.listFiles(BASE);

    expect(base.map((f) => f.path).sort()).toEqual(Object.keys(baseFiles).sort());
    expect(base.every((f) => /^[0-9a-f]{40}$/.test(f.id))).toBe(true);
    const idAt = (tree: typeof base, path: string) => tree.find((f) => f.path === path)?.id;
    const text = (files: Record<string, string | undefined>, path: string) => files[path];
    for (const path of Object.keys(baseFiles)) {
      expect(idAt(head, path) === idAt(base, path), path).toBe(text(headFiles, path) === text(baseFiles, path));
    }
    expect(github.calls(/git\/trees/).length - before).toBe(2);
  });

  it('refuses a truncated tree rather than miss apps', async () => {
    const truncated = github.addCommit(sha(10), { parents: [BASE], files: baseFiles });
    github.truncated.add(truncated);

    const err = await source()
      .listFiles(truncated)
      .catch((e: unknown) => e);

    expect(err).toMatchObject({ name: ErrorName.InvalidState, retryable: false, message: expect.stringMatching(/truncated/) });
  });
});

describe('GithubSource.changedPaths', () => {
  it('gives added, modified and removed paths between two commits, as git diff --no-renames does', async () => {
    const changed = await source().changedPaths(BASE, HEAD);

    expect(changed).toEqual(['apps/api/taskdef.yaml', 'apps/web/taskdef.json', 'apps/web/taskdef.yaml', 'apps/worker/app.pipecd.yaml']);
  });

  it('lists all 500 changed paths of a large push (no 300-file compare limit), from two tree requests', async () => {
    const before = github.requests.length;

    const changed = await source().changedPaths(HEAD, BIG);

    expect(changed.filter((p) => p.startsWith('apps/bulk/'))).toHaveLength(500);
    expect(changed).toHaveLength(500);
    expect(github.requests.slice(before).map((r) => r.path)).toEqual(
      expect.arrayContaining([`/repos/${REPO}/git/trees/${HEAD}`, `/repos/${REPO}/git/trees/${BIG}`]),
    );
    expect(github.requests.length - before).toBe(2);
  });

  it('for a new branch (before is all zeros) gives what the pushed commit changed against its first parent', async () => {
    expect(await source().changedPaths(ZERO_SHA, HEAD)).toEqual(await source().changedPaths(BASE, HEAD));
  });

  it('for a new branch at a root commit gives every file', async () => {
    expect(await source().changedPaths(ZERO_SHA, ROOT)).toEqual(['README.md']);
  });

  it('reuses the tree that listFiles fetched for the same sha', async () => {
    const s = source();
    await s.listFiles(HEAD);
    const before = github.calls(new RegExp(`git/trees/${HEAD}`)).length;

    await s.changedPaths(BASE, HEAD);

    expect(github.calls(new RegExp(`git/trees/${HEAD}`)).length).toBe(before);
  });
});

describe('GithubSource.readFile', () => {
  it('decodes the base64 content of a file at the ref, multi-byte characters included', async () => {
    expect(await source().readFile(HEAD, 'apps/worker/app.pipecd.yaml')).toBe('kind: ECSApp\n# ünïcödé ✓\n');
    expect(await source().readFile(BASE, 'apps/api/taskdef.yaml')).toBe('family: api\n');
  });

  it('answers undefined for a missing file (404) and for a directory', async () => {
    expect(await source().readFile(HEAD, 'apps/web/taskdef.yaml')).toBeUndefined();
    expect(await source().readFile(HEAD, 'apps/api')).toBeUndefined();
  });
});

describe('GithubSource errors', () => {
  const cases: { name: string; path: RegExp; status: number; headers?: Record<string, string>; message?: string; error: string; retryable: boolean }[] = [
    { name: 'fail: a 502 is transient', path: /git\/trees/, status: 502, error: ErrorName.Transient, retryable: true },
    { name: 'fail: a 503 on a GraphQL file read is transient', path: /graphql/, status: 503, error: ErrorName.Transient, retryable: true },
    { name: 'fail: a 429 is throttling', path: /git\/trees/, status: 429, error: ErrorName.Throttled, retryable: true },
    {
      name: 'fail: a 403 with no rate left is throttling',
      path: /git\/trees/,
      status: 403,
      headers: { 'x-ratelimit-remaining': '0' },
      error: ErrorName.Throttled,
      retryable: true,
    },
    {
      name: 'fail: a 403 secondary rate limit is throttling',
      path: /graphql/,
      status: 403,
      message: 'You have exceeded a secondary rate limit',
      error: ErrorName.Throttled,
      retryable: true,
    },
    { name: 'fail: a 401 is unauthorized and final', path: /git\/trees/, status: 401, error: ErrorName.Unauthorized, retryable: false },
    { name: 'fail: a 404 tree is not found and final', path: /git\/trees/, status: 404, error: ErrorName.NotFound, retryable: false },
    { name: 'fail: a 422 is final', path: /git\/trees/, status: 422, error: ErrorName.InvalidState, retryable: false },
  ];

  it.each(cases)('$name', async ({ path, status, headers, message, error, retryable }) => {
    github.fail(path, status, { ...(headers ? { headers } : {}), ...(message ? { message } : {}) });
    const s = source();

    const err = await (path.source.includes('graphql') ? s.readFile(HEAD, 'README.md') : s.listFiles(HEAD)).catch((e: unknown) => e);

    expect(err).toMatchObject({ name: error, retryable, message: expect.stringContaining(`GitHub answered ${status}`) });
    expect((err as Error).cause).toMatchObject({ status });
  });

  it('does not cache a failed tree listing: the next call asks again and succeeds', async () => {
    github.fail(/git\/trees/, 500);
    const s = source();

    await expect(s.listFiles(HEAD)).rejects.toMatchObject({ name: ErrorName.Transient });
    await expect(s.listFiles(HEAD)).resolves.toContain('apps/worker/app.pipecd.yaml');
  });

  it('refuses a repository that is not owner/name', () => {
    expect(() => new GithubSource({ repo: 'acme', auth: TOKEN })).toThrow(/owner\/name/);
  });
});
