import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManifestPlanner } from '../../src/gitops/app-planner.js';
import { InProcessDeferrer } from '../../src/gitops/deferrers.js';
import { GithubSource } from '../../src/gitops/github-source.js';
import { FileTextCache } from '../../src/gitops/manifest-source.js';
import { LruTriggerCache } from '../../src/gitops/trigger-cache.js';
import { triggerDeployments } from '../../src/gitops/trigger.js';
import { handleGithubWebhook, type WebhookDeps } from '../../src/gitops/webhook.js';
import { startLocalDynamo, type LocalDynamo } from '../../src/local/dynamo.js';
import { historyTableOn } from '../support/stacks/history.js';
import { createLogger } from '../../src/logging.js';
import { buildPush, signedRequest } from '../support/github.js';
import { CapturedEvents, FakeServices, RecordingWorkflow, taskdef } from './fakes.js';
import { GithubStandin } from './github-standin.js';

const REPO = 'acme/mono';
const APPS = 120;
const names = Array.from({ length: APPS }, (_, i) => `app-${String(i).padStart(3, '0')}`);
const config = (name: string) =>
  `apiVersion: pipecd.dev/v1beta1\nkind: ECSApp\nspec:\n  name: ${name}\n  input:\n    taskDefinitionFile: taskdef.yaml\n    serviceDefinitionFile: servicedef.yaml\n    targetGroups:\n      primary:\n        targetGroupArn: arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/${name}/0123456789abcdef\n        containerName: app\n        containerPort: 80\n`;

function repoFiles(tag: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of names) {
    files[`apps/${name}/app.pipecd.yaml`] = config(name);
    files[`apps/${name}/servicedef.yaml`] = `cluster: demo\nserviceName: ${name}\ndesiredCount: 1\ndeploymentController:\n  type: EXTERNAL\n`;
    files[`apps/${name}/taskdef.yaml`] = taskdef(name).replace(':1.0.0', `:${tag}`);
  }
  return files;
}

let dynamo: LocalDynamo;
let github: GithubStandin;

beforeAll(async () => {
  dynamo = await startLocalDynamo();
  github = await new GithubStandin(REPO).start();
});
afterAll(async () => {
  await github?.stop();
  await dynamo?.stop();
});

describe('a cold push of many apps through the webhook, counted at the GitHub stand-in', () => {
  it('reads each file an app needs once: its config is never read twice, though analysis and planning both need it', async () => {
    const history = await historyTableOn(dynamo, 'github-reads');
    const base = github.addCommit('1'.repeat(40), { parents: [], files: repoFiles('1.0.0') });
    const head = github.addCommit('2'.repeat(40), { parents: [base], files: repoFiles('1.1.0') });
    const workflow = new RecordingWorkflow();
    const deps: WebhookDeps = {
      secret: 'secret',
      tracking: { repos: [REPO], branches: ['main'], deployTags: false },
      source: new GithubSource({ repo: REPO, auth: 'test-token', baseUrl: github.url }),
      planner: new ManifestPlanner(new FakeServices()),
      history,
      workflow,
      events: new CapturedEvents(),
      deferrer: undefined as never,
      logger: createLogger('test', { logLevel: 'SILENT' }),
      now: () => new Date('2026-01-01T00:00:00Z'),
      wallNow: () => new Date('2026-01-01T00:00:00Z'),
      // Cold: no trigger settings and no file texts known before this push.
      triggerCache: new LruTriggerCache(),
      fileTexts: new FileTextCache(),
    };
    const deferrer = new InProcessDeferrer((push, scope) => triggerDeployments(push, deps, scope));
    deps.deferrer = deferrer;
    const modified = names.map((n) => `apps/${n}/taskdef.yaml`);
    const payload = buildPush({ repo: REPO, before: base, after: head, changed: { modified } });

    const res = await handleGithubWebhook(signedRequest({ secret: 'secret', event: 'push', payload }), deps);
    await deferrer.idle();

    // Over 100 unknown configs: answered at once, analysed and started by the continuations.
    expect(res.statusCode).toBe(202);
    expect(workflow.started).toHaveLength(APPS);
    // Every request to GitHub is a read: REST GETs and GraphQL POSTs alike.
    const reads = github.requests.filter((r) => r.path.startsWith(`/repos/${REPO}/`) || r.path === '/graphql');
    expect(reads.filter((r) => r.path.includes('/contents/'))).toEqual([]);
    // Each file is asked for once across all the batches: the config is not read again for planning.
    const asked = github
      .calls(/^\/graphql$/)
      .flatMap((r) => [...String((r.body as { query: string }).query).matchAll(/expression: "([^"]+)"/g)].map((m) => m[1]));
    expect(new Set(asked).size).toBe(asked.length);
    expect(asked).toHaveLength(APPS * 3);
    expect(reads.length / APPS).toBeLessThanOrEqual(2);
  });
});
