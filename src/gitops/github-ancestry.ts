import { Octokit } from '@octokit/rest';
import { ConfigError, InvalidStateError } from '../errors.js';
import type { AncestryPort, CommitRelation } from './ancestry.js';
import { staticToken, type GithubTokenProvider } from './github-auth.js';
import { wrapGithubError } from './github-errors.js';

export interface GithubAncestryOptions {
  /** `owner/name`. */
  repo: string;
  /** A token with contents:read, or a provider of GitHub App installation tokens. */
  auth: string | GithubTokenProvider;
  baseUrl?: string;
  /** For tests: Octokit's request `fetch`. */
  fetch?: typeof fetch;
}

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
    const [owner, name, ...rest] = options.repo.split('/');
    if (!owner || !name || rest.length > 0) throw new ConfigError(`not an owner/name repository: ${options.repo}`);
    this.owner = owner;
    this.name = name;
    this.octokit = new Octokit({
      log: { debug: noop, info: noop, warn: console.warn, error: noop },
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      ...(options.fetch ? { request: { fetch: options.fetch } } : {}),
    });
    const auth = typeof options.auth === 'string' ? staticToken(options.auth) : options.auth;
    this.octokit.hook.wrap('request', async (request, endpoint) => {
      endpoint.headers.authorization = `Bearer ${await auth.token()}`;
      try {
        return await request(endpoint);
      } catch (err) {
        if ((err as { status?: number }).status === 401) auth.invalidate();
        throw err;
      }
    });
  }

  async compare(base: string, head: string): Promise<CommitRelation> {
    if (base === head) return 'identical';
    const doing = `comparing ${base.slice(0, 7)}...${head.slice(0, 7)} in ${this.owner}/${this.name}`;
    let status: unknown;
    try {
      ({ data: { status } } = await this.octokit.repos.compareCommitsWithBasehead({
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

function noop(): void {}
