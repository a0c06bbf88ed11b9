import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { headSha, initRepo, writeAndCommit } from '../../src/local/git-repo.js';
import { startLocalStack, type LocalFunctionName, type LocalStack, type LocalStackOptions } from '../../src/local/stack.js';
import { postSignedWebhook } from '../../src/cli/push-webhook.js';
import { buildPush } from '../../test/support/github.js';
import { AwsCallCounter } from './aws-calls.js';
import { clickApprove } from './slack-click.js';

const REPO = 'local/manifests';
const TIMED_FUNCTIONS: LocalFunctionName[] = ['orchestrate', 'stage', 'approval-request'];

export interface PushResult {
  status: number;
  body: { apps?: { app: string; deploymentId: string; status: string; executionArn?: string }[]; [key: string]: unknown };
  sha: string;
  /** `performance.now()` just before the webhook request was sent. */
  sentAt: number;
  /** Real ms from sending the webhook to its response (the github-webhook Lambda's duration, locally). */
  responseMs: number;
}

/** Observes an invocation of one of the state machine's functions; `error` is set when it threw. */
export interface InvocationHook {
  before?(name: LocalFunctionName, event: unknown): void;
  after?(name: LocalFunctionName, event: unknown, error: unknown): void;
  /** Answers the invocation instead of the real function when it returns a promise. */
  replace?(name: LocalFunctionName, event: unknown): Promise<unknown> | undefined;
}

export interface BenchStack {
  stack: LocalStack;
  repoDir: string;
  calls: AwsCallCounter;
  /** Real ms of every invocation of the state machine's functions, per function, since start. */
  durations: Record<string, number[]>;
  /** Commits the files (null deletes) and sends GitHub's signed push webhook for them. */
  push(files: Record<string, string | null>, message?: string): Promise<PushResult>;
  /** Commits files without sending a webhook: the repository's state before the pushes measured. */
  commit(files: Record<string, string | null>, message?: string): Promise<string>;
  /** Changes the image tag of an example app and pushes it. */
  bumpImage(app: string, tag: string): Promise<PushResult>;
  /** Runs `hook` around every invocation of the state machine's functions. Returns an undo. */
  addHook(hook: InvocationHook): () => void;
  /**
   * Approves each deployment as soon as its approval request Lambda has returned (the token is
   * stored by then), by clicking Approve in Slack (clickApprove). Returns an undo.
   */
  autoApprove(): () => void;
  stop(): Promise<void>;
}

/**
 * A local stack over a fresh git repo, instrumented for measuring: every SDK call to the cloud is
 * counted (AwsCallCounter) and every Lambda invocation timed, through the stack's own
 * `interceptFunction` hook, so the production handlers run unchanged.
 */
export async function startBenchStack(opts: Partial<LocalStackOptions> = {}): Promise<BenchStack> {
  const repoDir = await mkdtemp(join(tmpdir(), 'stepcd-bench-repo-'));
  await initRepo(repoDir);
  await writeAndCommit(repoDir, { 'README.md': '# manifests\n' }, 'initial');
  const stack = await startLocalStack({ repoDir, repo: REPO, ...opts });
  const calls = new AwsCallCounter(stack.cloud);
  const durations: Record<string, number[]> = {};
  const hooks = new Set<InvocationHook>();
  for (const name of TIMED_FUNCTIONS) {
    durations[name] = [];
    stack.interceptFunction(name, async (event, context, next) => {
      for (const hook of hooks) hook.before?.(name, event);
      const started = performance.now();
      let error: unknown;
      try {
        for (const hook of hooks) {
          const answer = hook.replace?.(name, event);
          if (answer !== undefined) return await answer;
        }
        return await next(event, context);
      } catch (err) {
        error = err;
        throw err;
      } finally {
        durations[name]!.push(performance.now() - started);
        for (const hook of hooks) hook.after?.(name, event, error);
      }
    });
  }
  const approving = new Set<Promise<unknown>>();
  function addHook(hook: InvocationHook): () => void {
    hooks.add(hook);
    return () => hooks.delete(hook);
  }
  let before = await headSha(repoDir);

  async function push(files: Record<string, string | null>, message = 'change'): Promise<PushResult> {
    const sha = await writeAndCommit(repoDir, files, message);
    const payload = buildPush({ repo: REPO, before, after: sha, changed: { modified: Object.keys(files) } });
    before = sha;
    const sentAt = performance.now();
    const reply = await postSignedWebhook(`${stack.front.url}/webhooks/github`, stack.secrets.githubWebhookSecret, payload, { delivery: `delivery-${sha}` });
    return { status: reply.status, body: reply.body as PushResult['body'], sha, sentAt, responseMs: performance.now() - sentAt };
  }

  return {
    stack,
    repoDir,
    calls,
    durations,
    push,
    async commit(files, message = 'setup') {
      before = await writeAndCommit(repoDir, files, message);
      return before;
    },
    async bumpImage(app, tag) {
      const dir = join(repoDir, 'apps', app);
      const taskdef = (await readdir(dir)).find((f) => f.startsWith('taskdef.'));
      if (!taskdef) throw new Error(`apps/${app} has no taskdef file`);
      const text = await readFile(join(dir, taskdef), 'utf8');
      return push({ [`apps/${app}/${taskdef}`]: text.replace(/(registry\.example\.com\/[\w-]+):[\w.-]+/g, `$1:${tag}`) }, `${app}: ${tag}`);
    },
    addHook,
    autoApprove() {
      return addHook({
        after(name: LocalFunctionName, event: unknown, error: unknown) {
          if (name !== 'approval-request' || error !== undefined) return;
          const { plan, stage } = event as { plan?: { deploymentId?: string }; stage?: { index?: unknown } };
          if (!plan?.deploymentId || typeof stage?.index !== 'number') return;
          // After the request Lambda returned (the token is stored), as a person clicking would be.
          const vote = clickApprove(stack, { deploymentId: plan.deploymentId, stageIndex: stage.index, user: 'U-BENCH' });
          approving.add(vote);
          // A refused click leaves the deployment waiting, and the measured run then times out saying so.
          void vote.catch((err: unknown) => console.error('[bench] approval click failed:', err)).finally(() => approving.delete(vote));
        },
      });
    },
    async stop() {
      await Promise.allSettled([...approving]);
      calls.close();
      await stack.stop();
      await rm(repoDir, { recursive: true, force: true });
    },
  };
}
