import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { CommitRef } from '../domain/plan.js';
import { NotFoundError, TransientError } from '../errors.js';
import type { TrackedBranch } from '../operations/ports.js';
import { LocalGitAncestry } from './local-git-ancestry.js';
import { LocalGitSource } from './local-git-source.js';

const run = promisify(execFile);

/** The tracked branch of a git repository on disk (the local cloud's "GitHub"), for stepcd sync. */
export function localTrackedBranch(repoDir: string, repo: string, branch: string): TrackedBranch & { close(): void } {
  const source = new LocalGitSource(repoDir);
  return {
    repo,
    branch,
    source,
    ancestry: new LocalGitAncestry(repoDir),
    head: async () => (await revParse(repoDir, `refs/heads/${branch}`)).sha,
    commit: (ref) => revParse(repoDir, ref),
    close: () => source.close(),
  };
}

/** `ref` resolved to its commit, with the subject and author a push payload would carry. */
async function revParse(repoDir: string, ref: string): Promise<CommitRef> {
  try {
    // `--end-of-options` keeps a ref such as `--all` from being read as an option.
    const { stdout } = await run('git', ['-C', repoDir, 'log', '-1', '--format=%H%x00%an%x00%s', '--end-of-options', `${ref}^{commit}`], { encoding: 'utf8' });
    const [sha = '', author = '', message = ''] = stdout.trim().split('\u0000');
    return { sha, author, message };
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? '');
    if (/unknown revision|bad revision|ambiguous argument|not a valid|bad object/i.test(stderr)) {
      throw new NotFoundError(`no commit ${ref} in ${repoDir}`, { cause: err });
    }
    throw new TransientError(`reading commit ${ref}: git log failed: ${stderr.trim() || (err as Error).message}`, { cause: err });
  }
}
