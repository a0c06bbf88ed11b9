import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localClientConfig } from '../src/aws/client-config.js';
import { createDocumentClient } from '../src/aws/dynamodb.js';
import { DynamoHistoryStore } from '../src/aws/history/dynamo-history-store.js';
import { historyTableDefinition } from '../src/aws/history/table.js';
import { ManifestPlanner } from '../src/gitops/app-planner.js';
import { InProcessDeferrer } from '../src/gitops/deferrers.js';
import { GithubSource } from '../src/gitops/github-source.js';
import { FileTextCache } from '../src/gitops/manifest-source.js';
import { LruTriggerCache } from '../src/gitops/trigger-cache.js';
import { triggerDeployments } from '../src/gitops/trigger.js';
import { handleGithubWebhook, type WebhookDeps } from '../src/gitops/webhook.js';
import { startLocalDynamo } from '../src/local/dynamo.js';
import { createLogger } from '../src/logging.js';
import { CapturedEvents, FakeServices, RecordingWorkflow, taskdef } from '../test/gitops/fakes.js';
import { GithubStandin } from '../test/gitops/github-standin.js';
import { buildPush, signedRequest } from '../test/support/github.js';

const REPO = 'acme/mono';
const TABLE = 'bench-github-reads';

export interface GithubReadFigures {
  apps: number;
  /** Files per app the push makes stepcd read: config, service definition, task definition. */
  filesPerApp: number;
  startedExecutions: number;
  /** GET requests under /repos/<repo>/ at the GitHub stand-in, by endpoint. */
  reads: { total: number; contents: number; trees: number; commits: number; other: number };
  readsPerApp: number;
}

/**
 * A cold push (no trigger settings, no file texts known) bumping the image of every app of an
 * `apps`-app repository, through the webhook and its continuations with the production GithubSource
 * against the GitHub stand-in, which records every request (the shapes of GitHub's REST API). The
 * ECS lookup is test/gitops's fake: only GitHub is counted here.
 */
export async function measureGithubReads(opts: { apps: number }): Promise<GithubReadFigures> {
  const names = Array.from({ length: opts.apps }, (_, i) => `app-${String(i).padStart(4, '0')}`);
  const dynamo = await startLocalDynamo();
  const github = await new GithubStandin(REPO).start();
  try {
    const raw = new DynamoDBClient(localClientConfig(dynamo.url));
    await raw.send(new CreateTableCommand(historyTableDefinition(TABLE)));
    raw.destroy();
    const base = github.addCommit('1'.repeat(40), { parents: [], files: repoFiles(names, '1.0.0') });
    const head = github.addCommit('2'.repeat(40), { parents: [base], files: repoFiles(names, '1.1.0') });
    const workflow = new RecordingWorkflow();
    const deps: WebhookDeps = {
      secret: 'bench-secret',
      tracking: { repos: [REPO], branches: ['main'], deployTags: false },
      source: new GithubSource({ repo: REPO, auth: 'bench-token', baseUrl: github.url }),
      planner: new ManifestPlanner(new FakeServices()),
      history: new DynamoHistoryStore(createDocumentClient(localClientConfig(dynamo.url)), TABLE),
      workflow,
      events: new CapturedEvents(),
      deferrer: undefined as never,
      logger: createLogger('bench', { logLevel: 'SILENT' }),
      now: () => new Date(),
      wallNow: () => new Date(),
      triggerCache: new LruTriggerCache(),
      fileTexts: new FileTextCache(),
    };
    const deferrer = new InProcessDeferrer((push, scope) => triggerDeployments(push, deps, scope));
    deps.deferrer = deferrer;
    const payload = buildPush({ repo: REPO, before: base, after: head, changed: { modified: names.map((n) => `apps/${n}/taskdef.yaml`) } });
    await handleGithubWebhook(signedRequest({ secret: 'bench-secret', event: 'push', payload }), deps);
    await deferrer.idle();

    // Every request to GitHub counts: REST GETs and the GraphQL POSTs that batch the file reads.
    const asked = github.requests.filter((r) => r.path.startsWith(`/repos/${REPO}/`) || r.path === '/graphql');
    const count = (part: string) => asked.filter((r) => r.path.includes(part)).length;
    const reads = {
      total: asked.length,
      graphql: count('/graphql'),
      contents: count('/contents/'),
      trees: count('/git/trees/'),
      commits: count('/git/commits/'),
      other: 0,
    };
    reads.other = reads.total - reads.graphql - reads.contents - reads.trees - reads.commits;
    return {
      apps: opts.apps,
      filesPerApp: 3,
      startedExecutions: workflow.started.length,
      reads,
      readsPerApp: Math.round((reads.total / opts.apps) * 100) / 100,
    };
  } finally {
    await github.stop();
    await dynamo.stop();
  }
}

function repoFiles(names: string[], tag: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of names) {
    files[`apps/${name}/app.pipecd.yaml`] =
      `apiVersion: pipecd.dev/v1beta1\nkind: ECSApp\nspec:\n  name: ${name}\n  input:\n    taskDefinitionFile: taskdef.yaml\n    serviceDefinitionFile: servicedef.yaml\n    targetGroups:\n      primary:\n        targetGroupArn: arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/${name}/0123456789abcdef\n        containerName: app\n        containerPort: 80\n`;
    files[`apps/${name}/servicedef.yaml`] = `cluster: demo\nserviceName: ${name}\ndesiredCount: 1\ndeploymentController:\n  type: EXTERNAL\n`;
    files[`apps/${name}/taskdef.yaml`] = taskdef(name).replace(':1.0.0', `:${tag}`);
  }
  return files;
}
