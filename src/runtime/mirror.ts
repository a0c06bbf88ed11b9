import { createDocumentClient } from '../aws/dynamodb.js';
import { DynamoGithubDeploymentLinks } from '../aws/history/dynamo-github-links.js';
import { DynamoHistoryStore } from '../aws/history/dynamo-history-store.js';
import { GithubRest } from '../github/github-rest.js';
import { isTrackedGithubRepo, type MirrorDeps } from '../github/mirror-deployment.js';
import { githubTokenProvider } from '../gitops/github-credentials.js';
import type { DepsContext } from './deps.js';

/**
 * The deployment mirror's ports: the history table (records and the GitHub links), and one GitHub
 * client per repository over the same credentials as the webhook (token, or the App installation).
 */
export function buildMirrorDeps(ctx: DepsContext, options: { fetch?: typeof fetch } = {}): MirrorDeps {
  const now = ctx.now ?? Date.now;
  // The mirror lives on GitHub's time: its claims age while a retry-after is slept through in real
  // time, and its stamps are read by people. Locally the engine clock runs faster than both.
  const wallNow = ctx.wallNow ?? Date.now;
  const doc = createDocumentClient(ctx.clients.dynamodb);
  const auth = githubTokenProvider(ctx.config.github, ctx.secrets, { ...options, now });
  const clients = new Map<string, GithubRest>();
  return {
    history: new DynamoHistoryStore(doc, ctx.config.tableName, { now: () => new Date(wallNow()) }),
    links: new DynamoGithubDeploymentLinks(doc, ctx.config.tableName, () => new Date(wallNow())),
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
    now: () => new Date(wallNow()),
  };
}
