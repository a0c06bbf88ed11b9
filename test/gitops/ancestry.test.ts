import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/errors.js';
import { cachedAncestry, type AncestryPort, type CommitRelation } from '../../src/gitops/ancestry.js';
import { GithubAncestry } from '../../src/gitops/github-ancestry.js';
import { LocalGitAncestry } from '../../src/gitops/local-git-ancestry.js';
import { initRepo, writeAndCommit } from '../../src/local/git-repo.js';
import { GithubStandin } from './github-standin.js';

const git = promisify(execFile);

/**
 * The same history, in a real git repository and in the GitHub stand-in: root ← a ← b on main, and
 * c on a branch from a (diverged from b). Both adapters must answer the compare API's statuses alike.
 */
const CASES: { name: string; base: string; head: string; relation: CommitRelation }[] = [
  { name: 'success: a newer commit is ahead of its ancestor', base: 'a', head: 'b', relation: 'ahead' },
  { name: 'success: an ancestor is behind its descendant', base: 'b', head: 'root', relation: 'behind' },
  { name: 'success: the same commit is identical', base: 'b', head: 'b', relation: 'identical' },
  { name: 'success: commits on two branches have diverged', base: 'b', head: 'c', relation: 'diverged' },
];

describe('Port: ancestry (git merge-base locally, GitHub compare on AWS)', () => {
  let dir: string;
  let shas: Record<string, string>;
  let standin: GithubStandin;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stepcd-ancestry-'));
    await initRepo(dir);
    const root = await writeAndCommit(dir, { f: '0' }, 'root');
    const a = await writeAndCommit(dir, { f: '1' }, 'a');
    const b = await writeAndCommit(dir, { f: '2' }, 'b');
    await git('git', ['-C', dir, 'reset', '--hard', a]);
    const c = await writeAndCommit(dir, { f: '3' }, 'c');
    shas = { root, a, b, c };
    standin = await new GithubStandin('acme/manifests').start();
    standin.addCommit(root, { parents: [], files: {} });
    standin.addCommit(a, { parents: [root], files: {} });
    standin.addCommit(b, { parents: [a], files: {} });
    standin.addCommit(c, { parents: [a], files: {} });
  });
  afterAll(async () => {
    await standin?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const adapters = (): [string, AncestryPort][] => [
    ['local git', new LocalGitAncestry(dir)],
    ['GitHub compare', new GithubAncestry({ repo: 'acme/manifests', auth: 'ghp_test', baseUrl: standin.url })],
  ];

  it.each(CASES)('$name', async ({ base, head, relation }) => {
    for (const [name, port] of adapters()) {
      expect(await port.compare(shas[base]!, shas[head]!), name).toBe(relation);
    }
  });

  it('fail: a commit the repository does not have is NotFound in both', async () => {
    for (const [name, port] of adapters()) {
      await expect(port.compare(shas.a!, 'f'.repeat(40)), name).rejects.toBeInstanceOf(NotFoundError);
    }
  });

  it('asks GitHub once per pair of commits and then answers from the cache', async () => {
    const port = cachedAncestry(new GithubAncestry({ repo: 'acme/manifests', auth: 'ghp_test', baseUrl: standin.url }));
    const before = standin.calls(/\/compare\//).length;
    expect(await port.compare(shas.a!, shas.b!)).toBe('ahead');
    expect(await port.compare(shas.a!, shas.b!)).toBe('ahead');
    expect(await port.compare(shas.b!, shas.a!)).toBe('behind');
    expect(standin.calls(/\/compare\//).length - before).toBe(2);
  });
});
