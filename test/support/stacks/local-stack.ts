import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { expect } from 'vitest';
import { headSha, initRepo, writeAndCommit } from '../../../src/local/git-repo.js';
import { startLocalStack, type LocalStack, type LocalStackOptions } from '../../../src/local/stack.js';
import { FINAL_STATUSES, type DeploymentRecord, type DeploymentStatus } from '../../../src/domain/deployment.js';
import { createLogger } from '../../../src/logging.js';
import { postSignedWebhook } from '../../../src/cli/push-webhook.js';
import { buildPush } from '../github.js';
import { appendCallLog } from '../../iam/support/call-log.js';
import { waitFor } from '../waits.js';

export const REPO = 'local/manifests';

export interface StackHarness {
  stack: LocalStack;
  repoDir: string;
  /** Commits file changes (null deletes) and sends the signed push webhook for them. */
  push(files: Record<string, string | null>, message?: string): Promise<{ status: number; body: PushResponse; sha: string }>;
  bumpImage(app: string, tag: string): Promise<{ status: number; body: PushResponse; sha: string }>;
  /** The file change that sets every image of an example app to `tag`, for `push` or `deploy`. */
  imageBump(app: string, tag: string): Promise<Record<string, string>>;
  /** Pushes one app change and returns its deployment id and execution ARN (throws if none started). */
  deploy(files: Record<string, string | null>, message?: string): Promise<{ id: string; arn: string; sha: string }>;
  /** Pushes the files and waits for every deployment it started to SUCCEED (throws otherwise): a test's baseline. */
  deployBaseline(files: Record<string, string | null>, message?: string): Promise<PushResponse>;
  /** How many times the execution entered the named state so far (any state type). */
  entered(executionArn: string, state: string): number;
  /** Polls history until the deployment reaches `status` (or any final status, if it ends first). */
  waitForStatus(id: string, status: DeploymentStatus, timeoutMs?: number): Promise<DeploymentRecord>;
  /** The stepcd DetailTypes published for one deployment, in order. */
  eventsOf(id: string): string[];
  stop(): Promise<void>;
}

export interface PushResponse {
  apps?: { app: string; deploymentId: string; status: string; executionArn?: string; errors?: string[] }[];
  [key: string]: unknown;
}

/**
 * A local stack over a fresh git repo holding examples/apps under apps/. Nothing is pushed yet:
 * the first `push` of the whole tree is a first deployment of every app (quick sync).
 */
export async function startStackHarness(opts: Partial<LocalStackOptions> & { apps?: string[] } = {}): Promise<StackHarness> {
  const repoDir = await mkdtemp(join(tmpdir(), 'stepcd-repo-'));
  await initRepo(repoDir);
  await writeAndCommit(repoDir, { 'README.md': '# manifests\n' }, 'initial');
  const stack = await startLocalStack({ repoDir, repo: REPO, logger: createLogger('stepcd-local', { logLevel: 'SILENT' }), recordCalls: true, ...opts });
  let before = await headSha(repoDir);

  async function push(files: Record<string, string | null>, message = 'change') {
    const sha = await writeAndCommit(repoDir, files, message);
    const payload = buildPush({ repo: REPO, before, after: sha, changed: { modified: Object.keys(files) } });
    before = sha;
    const reply = await postSignedWebhook(`${stack.front.url}/webhooks/github`, stack.secrets.githubWebhookSecret, payload, { delivery: `delivery-${sha}` });
    return { status: reply.status, body: reply.body as PushResponse, sha };
  }

  async function imageBump(app: string, tag: string) {
    const path = `apps/${app}/${app === 'bluegreen' ? 'taskdef.json' : 'taskdef.yaml'}`;
    const text = await readFile(join(repoDir, path), 'utf8');
    return { [path]: text.replace(/(registry\.example\.com\/[\w-]+):[\w.-]+/g, `$1:${tag}`) };
  }
  const bumpImage = async (app: string, tag: string) => push(await imageBump(app, tag), `${app}: ${tag}`);

  return {
    stack,
    repoDir,
    push,
    bumpImage,
    imageBump,
    async deploy(files, message) {
      const res = await push(files, message);
      const started = res.body.apps?.[0];
      if (res.status !== 200 || !started?.executionArn) throw new Error(`push started no execution: ${res.status} ${JSON.stringify(res.body)}`);
      return { id: started.deploymentId, arn: started.executionArn, sha: res.sha };
    },
    async deployBaseline(files, message = 'baseline') {
      const res = await push(files, message);
      const apps = res.body.apps ?? [];
      if (res.status !== 200 || apps.length === 0) throw new Error(`baseline push started nothing: ${res.status} ${JSON.stringify(res.body)}`);
      for (const app of apps) {
        if (!app.executionArn) throw new Error(`baseline app ${app.app} did not start: ${app.status} ${app.errors?.join('; ') ?? ''}`);
        const run = await stack.cloud.sfn.waitForExecution(app.executionArn, { timeoutMs: 30_000 });
        if (run.status !== 'SUCCEEDED') throw new Error(`baseline deployment of ${app.app} ended ${run.status}: ${run.error ?? ''} ${run.cause ?? ''}`);
      }
      return res.body;
    },
    entered(executionArn, state) {
      return stack.cloud.sfn
        .history(executionArn)
        .filter((e) => e.type.endsWith('StateEntered') && (e.details as { value?: { name?: string } }).value?.name === state).length;
    },
    async waitForStatus(id, status, timeoutMs = 20_000) {
      return waitFor(
        `deployment ${id} to reach ${status}`,
        async () => {
          const record = await stack.core.history.getDeployment(id);
          if (!record) return undefined;
          if (record.status === status) return record;
          if (FINAL_STATUSES.includes(record.status)) {
            throw new Error(`deployment ${id} ended ${record.status} (${record.reason ?? 'no reason'})`);
          }
          return undefined;
        },
        { timeoutMs },
      );
    },
    eventsOf(id) {
      return stack.cloud.events.events
        .filter((e) => e.source === 'stepcd' && (e.detail as { deploymentId?: string }).deploymentId === id)
        .map((e) => e.detailType);
    },
    async stop() {
      await stack.stop();
      // Every AWS request the stack's functions made, for the IAM simulation (test/iam).
      const { tableName, eventBusName } = stack.cloud;
      appendCallLog({
        file: relative(process.cwd(), expect.getState().testPath ?? 'unknown'),
        names: { tableName, eventBusName, stateMachineArn: stack.stateMachineArn },
        calls: stack.cloud.calls.calls,
      });
      await rm(repoDir, { recursive: true, force: true });
    },
  };
}
