import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { NotFoundError, TransientError } from '../errors.js';
import type { AncestryPort, CommitRelation } from './ancestry.js';

const run = promisify(execFile);

/** AncestryPort over a git repository on disk: `git merge-base --is-ancestor`, both ways. */
export class LocalGitAncestry implements AncestryPort {
  constructor(private readonly repoDir: string) {}

  async compare(base: string, head: string): Promise<CommitRelation> {
    if (base === head) return 'identical';
    if (await this.isAncestor(head, base)) return 'behind';
    if (await this.isAncestor(base, head)) return 'ahead';
    return 'diverged';
  }

  /** Exit 0: `ancestor` is an ancestor of `of`; 1: it is not; anything else is an error (unknown commit). */
  private async isAncestor(ancestor: string, of: string): Promise<boolean> {
    try {
      await run('git', ['-C', this.repoDir, 'merge-base', '--is-ancestor', ancestor, of]);
      return true;
    } catch (err) {
      const e = err as { code?: number; stderr?: string };
      if (e.code === 1) return false;
      const stderr = String(e.stderr ?? '').trim();
      if (/not a valid commit|bad object|unknown revision|not a valid object/i.test(stderr)) {
        throw new NotFoundError(`comparing ${ancestor} with ${of}: ${stderr}`, { cause: err });
      }
      throw new TransientError(`comparing ${ancestor} with ${of}: git merge-base failed: ${stderr || (err as Error).message}`, { cause: err });
    }
  }
}
