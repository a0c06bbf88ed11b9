import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A git repository on disk for tests and the demo: the local cloud's "GitHub". Identity and signing
 * are set per repository so a developer's global git config cannot change the results.
 */
export async function initRepo(dir: string, branch = 'main'): Promise<void> {
  await mkdir(dir, { recursive: true });
  await git(dir, ['init', '-q', '-b', branch]);
  await git(dir, ['config', 'user.name', 'stepcd']);
  await git(dir, ['config', 'user.email', 'stepcd@example.invalid']);
  await git(dir, ['config', 'commit.gpgsign', 'false']);
}

/** Writes (string) or deletes (null) the given files, commits them all, and returns the new sha. */
export async function writeAndCommit(dir: string, files: Record<string, string | null>, message: string): Promise<string> {
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, path);
    if (content === null) {
      await rm(full, { force: true });
    } else {
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, content);
    }
  }
  await git(dir, ['add', '--all', '--', ...Object.keys(files)]);
  await git(dir, ['commit', '-q', '--allow-empty', '-m', message]);
  return headSha(dir);
}

export async function headSha(dir: string): Promise<string> {
  return (await git(dir, ['rev-parse', 'HEAD'])).trim();
}

async function git(dir: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', ['-C', dir, ...args], { encoding: 'utf8' });
  return stdout;
}
