import { createDocumentClient } from '../aws/dynamodb.js';
import type { Config } from '../config/index.js';
import { DynamoGithubDeploymentLinks } from '../aws/history/dynamo-github-links.js';
import { DynamoHistoryStore } from '../aws/history/dynamo-history-store.js';
import { githubTokenProvider } from '../gitops/github-credentials.js';
import type { DepsContext } from '../runtime/deps.js';
import { GithubRest } from './github-rest.js';
import type { MirrorDeps } from './mirror-deployment.js';

const OWNER_NAME = /^[\w.-]+\/[\w.-]+$/;

/** Is `repo` one stepcd reaches on GitHub: an owner/name among the tracked ones (any, when none is named)? */
export function isTrackedGithubRepo(github: Pick<Config['github'], 'repos'>, repo: string): boolean {
  if (!OWNER_NAME.test(repo)) return false;
  return github.repos.length === 0 || github.repos.some((r) => r.toLowerCase() === repo.toLowerCase());
}

/**
 * The deployment mirror's ports: the history table (records and the GitHub links), and one GitHub
 * client per repository over the same credentials as the webhook (token, or the App installation).
 */
export function buildMirrorDeps(ctx: DepsContext, options: { fetch?: typeof fetch } = {}): MirrorDeps {
  const now = ctx.now ?? Date.now;
  const doc = createDocumentClient(ctx.clients.dynamodb);
  const auth = githubTokenProvider(ctx.config.github, ctx.secrets, { ...options, now });
  const clients = new Map<string, GithubRest>();
  return {
    history: new DynamoHistoryStore(doc, ctx.config.tableName, { now: () => new Date(now()) }),
    links: new DynamoGithubDeploymentLinks(doc, ctx.config.tableName, () => new Date(now())),
    github(repo) {
      if (!isTrackedGithubRepo(ctx.config.github, repo)) return undefined;
      let client = clients.get(repo);
      if (!client) {
        // An asynchronous Lambda: a long secondary limit is better left to its retry than slept through.
        client = new GithubRest({
          repo,
          auth,
          maxRetryAfterSeconds: 10,
          ...(ctx.config.github.apiUrl ? { baseUrl: ctx.config.github.apiUrl } : {}),
          ...options,
        });
        clients.set(repo, client);
      }
      return client;
    },
    ...(ctx.config.dashboardUrl ? { dashboardUrl: ctx.config.dashboardUrl } : {}),
    now: () => new Date(now()),
  };
}
