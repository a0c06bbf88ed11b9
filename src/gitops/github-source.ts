import { Octokit } from '@octokit/rest';
import { NotFoundError, StepcdError, ErrorName, ThrottledError, TransientError } from '../errors.js';
import type { ManifestSource } from './manifest-source.js';
import { ZERO_SHA } from './push-event.js';

export interface GithubSourceOptions {
  /** `owner/name`. */
  repo: string;
  /** A token with contents:read (PAT or installation token). */
  token: string;
  /** GitHub Enterprise, or a local stand-in in tests. */
  baseUrl?: string;
  /** For tests: Octokit's request `fetch`. */
  fetch?: typeof fetch;
}

const PAGE = 100;
/** GitHub lists at most 3000 files in a compare or commit, in pages of at most 300. */
const MAX_FILE_PAGES = 30;

/** ManifestSource over the GitHub REST API (ARCHITECTURE §1). */
export class GithubSource implements ManifestSource {
  private readonly octokit: Octokit;
  private readonly owner: string;
  private readonly name: string;

  constructor(options: GithubSourceOptions) {
    const [owner, name] = options.repo.split('/');
    if (!owner || !name) throw new StepcdError(ErrorName.Config, `not an owner/name repository: ${options.repo}`);
    this.owner = owner;
    this.name = name;
    this.octokit = new Octokit({
      auth: options.token,
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      ...(options.fetch ? { request: { fetch: options.fetch } } : {}),
    });
  }

  async listFiles(sha: string): Promise<string[]> {
    const doing = `listing the tree of ${this.owner}/${this.name} at ${sha}`;
    const { data } = await this.call(doing, () => this.octokit.git.getTree({ owner: this.owner, repo: this.name, tree_sha: sha, recursive: 'true' }));
    // A truncated tree would silently hide apps; refusing is the only safe answer.
    if (data.truncated) throw new StepcdError(ErrorName.InvalidState, `${doing}: GitHub truncated the tree (repository too large for one listing)`);
    return data.tree.filter((e) => e.type === 'blob' && e.path).map((e) => e.path!);
  }

  async changedPaths(before: string, after: string): Promise<string[]> {
    const paths = new Set<string>();
    for (let page = 1; page <= MAX_FILE_PAGES; page++) {
      const files = before === ZERO_SHA ? await this.commitFiles(after, page) : await this.compareFiles(before, after, page);
      for (const f of files) {
        paths.add(f.filename);
        if (f.previous_filename) paths.add(f.previous_filename);
      }
      if (files.length < PAGE) break;
    }
    return [...paths].sort();
  }

  async readFile(sha: string, path: string): Promise<string | undefined> {
    try {
      const { data } = await this.octokit.repos.getContent({ owner: this.owner, repo: this.name, path, ref: sha, mediaType: { format: 'raw' } });
      return typeof data === 'string' ? data : undefined;
    } catch (err) {
      if ((err as { status?: number }).status === 404) return undefined;
      throw wrapGithubError(`reading ${path} at ${sha}`, err);
    }
  }

  private async commitFiles(sha: string, page: number) {
    const { data } = await this.call(`reading commit ${sha}`, () =>
      this.octokit.repos.getCommit({ owner: this.owner, repo: this.name, ref: sha, per_page: PAGE, page }),
    );
    return data.files ?? [];
  }

  private async compareFiles(before: string, after: string, page: number) {
    const { data } = await this.call(`comparing ${before}...${after}`, () =>
      this.octokit.repos.compareCommitsWithBasehead({ owner: this.owner, repo: this.name, basehead: `${before}...${after}`, per_page: PAGE, page }),
    );
    return data.files ?? [];
  }

  private async call<T>(doing: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (err) {
      throw wrapGithubError(doing, err);
    }
  }
}

/** Octokit's RequestError carries `status`; rate limits and 5xx are worth a redelivery, 4xx are not. */
export function wrapGithubError(doing: string, err: unknown): StepcdError {
  const status = (err as { status?: number }).status ?? 0;
  const message = `${doing}: GitHub answered ${status || 'no response'}: ${(err as Error).message}`;
  if (status === 404) return new NotFoundError(message, { cause: err });
  if (status === 429 || (status === 403 && /rate limit/i.test((err as Error).message))) return new ThrottledError(message, { cause: err });
  if (status === 0 || status >= 500) return new TransientError(message, { cause: err });
  if (status === 401 || status === 403) return new StepcdError(ErrorName.Unauthorized, message, { cause: err });
  return new StepcdError(ErrorName.InvalidState, message, { cause: err });
}
