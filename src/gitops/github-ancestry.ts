import { InvalidStateError } from '../errors.js';
import type { AncestryPort, CommitRelation } from './ancestry.js';
import { githubRepoClient, type GithubClientOptions, type Octokit } from './github-client.js';
import { wrapGithubError } from './github-errors.js';

export type GithubAncestryOptions = GithubClientOptions;

const RELATIONS: readonly CommitRelation[] = ['identical', 'ahead', 'behind', 'diverged'];

/**
 * AncestryPort over GitHub's compare API. Only `status` is read; one commit per page keeps the
 * answer small whatever the distance between the two commits.
 */
export class GithubAncestry implements AncestryPort {
  private readonly octokit: Octokit;
  private readonly owner: string;
  private readonly name: string;

  constructor(options: GithubAncestryOptions) {
    ({ octokit: this.octokit, owner: this.owner, name: this.name } = githubRepoClient(options));
  }

  async compare(base: string, head: string): Promise<CommitRelation> {
    if (base === head) return 'identical';
    const doing = `comparing ${base.slice(0, 7)}...${head.slice(0, 7)} in ${this.owner}/${this.name}`;
    let status: unknown;
    try {
      ({
        data: { status },
      } = await this.octokit.request('GET /repos/{owner}/{repo}/compare/{basehead}', {
        owner: this.owner,
        repo: this.name,
        basehead: `${base}...${head}`,
        per_page: 1,
      }));
    } catch (err) {
      throw wrapGithubError(doing, err);
    }
    if (!RELATIONS.includes(status as CommitRelation)) throw new InvalidStateError(`${doing}: GitHub answered status ${JSON.stringify(status)}`);
    return status as CommitRelation;
  }
}
