import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitCatFileBatch } from '../../src/gitops/git-cat-file.js';
import { initRepo, writeAndCommit } from '../../src/local/git-repo.js';
import { RefusedFileError } from '../../src/manifest/refusal.js';

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();

describe('GitCatFileBatch', () => {
  let dir: string;
  let sha: string;
  let reader: GitCatFileBatch;
  // Newlines, a NUL and bytes that are not UTF-8: the reader must count bytes, not lines.
  const binary = Buffer.from([0x00, 0x0a, 0xff, 0xfe, 0x0a, 0x0a, 0x20, 0x6d, 0x69, 0x73, 0x73, 0x69, 0x6e, 0x67, 0x0a]);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stepcd-cat-file-'));
    await initRepo(dir);
    const files: Record<string, string> = {};
    for (let i = 0; i < 200; i++) files[`apps/app-${i}/taskdef.yaml`] = `family: app-${i}\n${'x'.repeat(i * 37)}\n`;
    sha = await writeAndCommit(dir, files, 'apps');
    await writeFile(join(dir, 'blob.bin'), binary);
    git(dir, 'add', 'blob.bin');
    git(dir, 'commit', '-q', '-m', 'binary');
    sha = git(dir, 'rev-parse', 'HEAD');
    reader = new GitCatFileBatch(dir);
  });
  afterAll(async () => {
    reader.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers 200 concurrent reads each with its own object, in the order asked', async () => {
    const listed = new Map(
      git(dir, 'ls-tree', '-r', sha)
        .split('\n')
        .map((line) => [line.split('\t')[1], line.split('\t')[0]?.split(' ')[2]] as const),
    );
    const ids = Array.from({ length: 200 }, (_, i) => listed.get(`apps/app-${i}/taskdef.yaml`) ?? '');

    const objects = await Promise.all(ids.map((id) => reader.read(id)));

    objects.forEach((object, i) => {
      expect(object?.id).toBe(ids[i]);
      expect(object?.type).toBe('blob');
      expect(object?.content.toString('utf8')).toBe(`family: app-${i}\n${'x'.repeat(i * 37)}\n`);
    });
  });

  it('returns binary content byte for byte, including newlines and NUL', async () => {
    const object = await reader.read(`${sha}:blob.bin`);

    expect(object?.content.equals(binary)).toBe(true);
  });

  it('answers a missing object or path as undefined and keeps serving the reads around it', async () => {
    const [before, missingId, missingPath, after] = await Promise.all([
      reader.read(`${sha}:apps/app-1/taskdef.yaml`),
      reader.read('0123456789abcdef0123456789abcdef01234567'),
      reader.read(`${sha}:apps/nope/taskdef.yaml`),
      reader.read(`${sha}:apps/app-2/taskdef.yaml`),
    ]);

    expect(before?.content.toString()).toMatch(/^family: app-1\n/);
    expect(missingId).toBeUndefined();
    expect(missingPath).toBeUndefined();
    expect(after?.content.toString()).toMatch(/^family: app-2\n/);
  });

  it('refuses a path that leaves the repository without asking git, and still reads afterwards', async () => {
    await expect(reader.read(`${sha}:../outside.txt`)).rejects.toBeInstanceOf(RefusedFileError);
    await expect(reader.read(`${sha}:/etc/passwd`)).rejects.toThrow(/outside the repository/);
    await expect(reader.read(`${sha}:apps/../blob.bin`)).rejects.toThrow(/outside the repository/);
    await expect(reader.read('HEAD\nHEAD')).rejects.toThrow(/single-line/);

    expect((await reader.read(`${sha}:blob.bin`))?.content.equals(binary)).toBe(true);
  });

  it('starts a new process after close', async () => {
    reader.close();

    expect((await reader.read(`${sha}:blob.bin`))?.content.length).toBe(binary.length);
  });
});
