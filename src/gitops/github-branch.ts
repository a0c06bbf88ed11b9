import type { CommitRef } from '../domain/plan.js';
import type { TrackedBranch } from '../operations/ports.js';
import { GithubAncestry } from './github-ancestry.js';
import { githubRepoClient, type GithubClientOptions } from './github-client.js';
import { wrapGithubError } from './github-errors.js';
import { GithubSource } from './github-source.js';

/** A tracked branch on GitHub for stepcd sync: its head (branches API) and commits (commits API). */
export function githubTrackedBranch(options: GithubClientOptions & { branch: string }): TrackedBranch {
  const { octokit, owner, name } = githubRepoClient(options);
  const { branch, ...client } = options;
  return {
    repo: options.repo,
    branch,
    source: new GithubSource(client),
    ancestry: new GithubAncestry(client),
    async head() {
      try {
        return (await octokit.request('GET /repos/{owner}/{repo}/branches/{branch}', { owner, repo: name, branch })).data.commit.sha;
      } catch (err) {
        throw wrapGithubError(`reading the head of branch ${branch} of ${options.repo}`, err);
      }
    },
    async commit(ref): Promise<CommitRef> {
      try {
        const { data } = await octokit.request('GET /repos/{owner}/{repo}/commits/{ref}', { owner, repo: name, ref });
        return { sha: data.sha, message: data.commit.message, author: data.commit.author?.name ?? data.author?.login ?? '', url: data.html_url };
      } catch (err) {
        throw wrapGithubError(`reading commit ${ref} of ${options.repo}`, err);
      }
    },
  };
}
