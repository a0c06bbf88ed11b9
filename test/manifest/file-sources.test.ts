import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalGitSource } from '../../src/gitops/local-git-source.js';
import { headSha, initRepo, writeAndCommit } from '../../src/local/git-repo.js';
import { createDirFiles, RefusedFileError } from '../../src/manifest/index.js';
import { runCli } from '../cli/support.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SECRET = 'root:x:0:0:the-runner-secret';

async function refusal(read: Promise<unknown>): Promise<string> {
  try {
    await read;
  } catch (err) {
    if (err instanceof RefusedFileError) return err.message;
    throw err;
  }
  throw new Error('expected the read to be refused');
}

/**
 * Both manifest sources `stepcd validate` and a push read through: a checkout on disk and a git
 * repository. A symlink leaving the repository is refused without opening its target (the target here
 * is a FIFO: opening it for reading would block, so a source that followed it would hang the test).
 */
describe('manifest file sources refuse what would leak or mislead', () => {
  let outside: string;
  let repo: string;
  beforeAll(async () => {
    outside = await mkdtemp(join(tmpdir(), 'stepcd-outside-'));
    await writeFile(join(outside, 'passwd'), `${SECRET}\n`);
    await run('mkfifo', [join(outside, 'fifo')]);
    repo = await mkdtemp(join(tmpdir(), 'stepcd-sources-'));
    await initRepo(repo);
    await writeAndCommit(repo, { 'apps/a/shared.yaml': 'cluster: demo\n', 'apps/a/big.yaml': 'x'.repeat(300 * 1024), 'apps/a/README.md': 'a\n' }, 'files');
    await writeFile(join(repo, 'apps/a/latin1.yaml'), Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a]));
    await symlink(join(outside, 'fifo'), join(repo, 'apps/a/out-absolute.yaml'));
    await symlink('../../../../../../../../../../etc/passwd', join(repo, 'apps/a/out-relative.yaml'));
    await symlink('shared.yaml', join(repo, 'apps/a/in.yaml'));
    await run('git', ['-C', repo, 'add', '-A']);
    await run('git', ['-C', repo, 'commit', '-qm', 'links']);
  });
  afterAll(async () => {
    await rm(outside, { recursive: true, force: true });
    await rm(repo, { recursive: true, force: true });
  });

  const sources = () => {
    const git = new LocalGitSource(repo);
    const dir = createDirFiles(repo);
    return [
      ['a checkout on disk', (path: string) => dir.readFile(path)],
      ['git', async (path: string) => git.readFile(await headSha(repo), path)],
    ] as const;
  };

  it.each([0, 1])('source %#: follows a symlink that stays inside the repository', async (i) => {
    const [, read] = sources()[i]!;
    expect(await read('apps/a/in.yaml')).toBe('cluster: demo\n');
  });

  it.each([0, 1])('source %#: refuses symlinks out of the repository, by absolute or relative path', async (i) => {
    const [, read] = sources()[i]!;
    expect(await refusal(read('apps/a/out-absolute.yaml'))).toBe(
      'apps/a/out-absolute.yaml: is a symlink to a path outside the repository; stepcd does not follow it',
    );
    expect(await refusal(read('apps/a/out-relative.yaml'))).toBe(
      'apps/a/out-relative.yaml: is a symlink to a path outside the repository; stepcd does not follow it',
    );
  });

  it.each([0, 1])('source %#: refuses bytes that are not UTF-8 and files over the size limit', async (i) => {
    const [, read] = sources()[i]!;
    expect(await refusal(read('apps/a/latin1.yaml'))).toBe('apps/a/latin1.yaml: is not valid UTF-8 (byte 6); save it as UTF-8');
    expect(await refusal(read('apps/a/big.yaml'))).toBe('apps/a/big.yaml: is 307200 bytes, over the 262144-byte limit for a manifest file');
  });

  it.each([0, 1])('source %#: a missing file or a directory is simply absent', async (i) => {
    const [, read] = sources()[i]!;
    expect(await read('apps/a/nope.yaml')).toBeUndefined();
    expect(await read('apps/a')).toBeUndefined();
  });

  it('`stepcd validate` on an untrusted checkout names the refused file and prints nothing of its target', async () => {
    const checkout = await mkdtemp(join(tmpdir(), 'stepcd-untrusted-'));
    try {
      await cp(join(ROOT, 'examples/apps/simple'), join(checkout, 'simple'), { recursive: true });
      await rm(join(checkout, 'simple/servicedef.yaml'));
      await symlink(join(outside, 'passwd'), join(checkout, 'simple/servicedef.yaml'));
      await mkdir(join(checkout, 'other'));
      const r = await runCli(['validate', checkout], { cwd: ROOT });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/NG\s+service definition\s+simple\/servicedef\.yaml: is a symlink to a path outside the repository; stepcd does not follow it/);
      expect(r.stdout + r.stderr).not.toContain('the-runner-secret');
    } finally {
      await rm(checkout, { recursive: true, force: true });
    }
  });
});
