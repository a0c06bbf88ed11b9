import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LocalGitSource } from '../gitops/local-git-source.js';
import type { DeploymentStore } from '../history/deployment-store.js';
import { startLocalStack, type LocalStack } from '../local/stack.js';
import { createLogger } from '../logging.js';
import { readRepositoryApps, RepositoryTopology, type RepositoryApp } from '../local/repo-topology.js';
import { CliError } from './errors.js';
import { endpointsOf, removeLocalEndpoints, STATE_DIR, writeLocalEndpoints } from './local-state.js';
import type { CliIo, Output } from './output.js';
import { branchHead, sendPushWebhook } from './push-webhook.js';
import { localDashboard } from './dashboard.js';
import { watchDeployment } from './watch.js';

const REPO = 'local/manifests';
const POLL_MS = 1000;

export interface LocalOptions {
  repoDir: string;
  branch: string;
  /** Port of the HTTP front; a free one when absent. */
  port?: number;
}

/**
 * `stepcd local`: the local cloud and the HTTP front, kept up until Ctrl-C, watching a manifests
 * repository. When the branch head moves (a local commit), it sends the signed push webhook for
 * before..after to its own front, which is how local commits trigger deployments. DynamoDB is
 * persisted under .stepcd/ and the endpoints written to .stepcd/local.json for `--local` commands.
 */
export async function localCommand(opts: LocalOptions, out: Output, io: CliIo): Promise<number> {
  const repoDir = resolve(io.cwd, opts.repoDir);
  let head = await branchHead(repoDir, opts.branch);
  if (!head) {
    throw new CliError(`${repoDir} has no branch ${opts.branch}`, { hint: 'pass a git repository of app manifests with at least one commit (or --branch)' });
  }
  const dynamoPath = join(io.cwd, STATE_DIR, 'dynamo');
  await mkdir(dynamoPath, { recursive: true }).catch((err: NodeJS.ErrnoException) => {
    // A `.stepcd` file (the target defaults) where the local stack keeps its `.stepcd/` folder.
    if (err.code !== 'EEXIST' && err.code !== 'ENOTDIR') throw err;
    throw new CliError(`${join(io.cwd, STATE_DIR)} is a file, where stepcd local keeps its state folder`, {
      hint: 'move the .stepcd defaults file to a parent folder (it is found there too), or run stepcd local elsewhere',
      exitCode: 2,
      cause: err,
    });
  });
  // The front starts inside the stack, before the dashboard over that stack can exist: bind it late.
  let dashboard: ReturnType<typeof localDashboard> | undefined;
  const stack = await startLocalStack({
    repoDir,
    repo: REPO,
    branch: opts.branch,
    dynamoPath,
    // The watched repository's own topology is created below, from its manifests.
    topology: false,
    logger: createLogger('stepcd-local', { logLevel: 'SILENT' }),
    dashboard: (req, res) => (dashboard ? dashboard.listener(req, res) : res.writeHead(503).end('starting')),
    ...(opts.port ? { httpPort: opts.port } : {}),
  });
  dashboard = localDashboard(stack, { repoDir, branch: opts.branch });
  const source = new LocalGitSource(repoDir);
  const watchers0: Promise<unknown>[] = [];
  try {
    // One short line per stepcd event; the full detail is a `stepcd logs` or EventBridge rule away.
    stack.cloud.events.subscribe({ source: ['stepcd'] }, async (e) => {
      const d = e.detail as { deploymentId?: string; app?: { name?: string }; status?: string; stage?: { name?: string } };
      out.line(`  [event] ${e.detailType} ${d.app?.name ?? ''} ${d.deploymentId ?? ''} ${d.status ?? ''}${d.stage?.name ? ` ${d.stage.name}` : ''}`);
    });
    const endpoints = endpointsOf(stack, { repoDir, pid: process.pid });
    const file = await writeLocalEndpoints(io.cwd, endpoints);
    out.data(endpoints);
    out.line(out.paint('bold', 'stepcd local is running (Ctrl-C to stop)'));
    out.line(`  watching      ${repoDir} (branch ${opts.branch}, head ${head.slice(0, 7)}): commit there to deploy`);
    out.line(`  webhook URL   ${endpoints.webhookUrl}`);
    out.line(`  secret        ${endpoints.webhookSecret}`);
    out.line(`  slack secret  ${stack.secrets.slackSigningSecret} (signing secret for the Slack interactions URL)`);
    out.line(`  slack URL     ${endpoints.slackInteractionsUrl}`);
    out.line(`  dashboard     ${endpoints.frontUrl}/`);
    out.line(`  AWS endpoint  ${endpoints.awsUrl} (ECS, ELBv2, Step Functions, EventBridge); DynamoDB ${endpoints.dynamoUrl}`);
    out.line(`  state         ${file} (read by --local commands); history persisted in ${dynamoPath}`);
    out.line('  Waits are shortened: the local cloud runs 60x real time; history, events and Slack show real time.');

    const topology = new RepositoryTopology(stack.cloud.clientConfigs, stack.cloud.emulator);
    const ensureTopology = async (sha: string) => {
      for (const line of await topology.ensure(await readRepositoryApps(source, sha))) out.line(`  created       ${line}`);
    };
    await ensureTopology(head);
    const undeployed = await undeployedApps(stack.core.history, await readRepositoryApps(source, head), head);
    if (undeployed.length > 0) {
      out.line(`  deploying HEAD ${head.slice(0, 7)} (not deployed yet: ${undeployed.join(', ')})`);
      // Every file as added, against git's empty tree: each app of HEAD is affected, and one already
      // deployed at HEAD comes back DUPLICATE (deployment ids are per commit).
      watchers0.push(...(await deliver(stack, out, io, { repoDir, branch: opts.branch, before: EMPTY_TREE, after: head })));
    }

    const watchers: Promise<unknown>[] = watchers0;
    while (!io.signal?.aborted) {
      await sleep(POLL_MS, undefined, io.signal ? { signal: io.signal } : {}).catch(() => undefined);
      if (io.signal?.aborted) break;
      const now = await branchHead(repoDir, opts.branch);
      if (!now || now === head) continue;
      const before = head;
      head = now;
      await ensureTopology(now).catch((err: unknown) => out.error(err));
      watchers.push(...(await deliver(stack, out, io, { repoDir, branch: opts.branch, before, after: now })));
    }
    await Promise.allSettled(watchers);
    return 0;
  } finally {
    await removeLocalEndpoints(io.cwd);
    dashboard.close();
    await stack.stop();
  }
}

/** git's empty tree: diffing against it lists every file of a commit as added. */
const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

/** Apps whose newest deployment is not of `sha` (or that have none). */
async function undeployedApps(history: Pick<DeploymentStore, 'listByApp'>, apps: readonly RepositoryApp[], sha: string): Promise<string[]> {
  const out: string[] = [];
  for (const app of apps) {
    const [latest] = await history.listByApp(app.name);
    if (latest?.commit.sha !== sha) out.push(app.name);
  }
  return out;
}

/** Sends the push for before..after and follows each deployment it started, one line per change. */
async function deliver(
  stack: LocalStack,
  out: Output,
  io: CliIo,
  push: { repoDir: string; branch: string; before: string; after: string },
): Promise<Promise<unknown>[]> {
  out.line(`push ${push.before.slice(0, 7)}..${push.after.slice(0, 7)} → webhook`);
  let reply;
  try {
    reply = await sendPushWebhook(`${stack.front.url}/webhooks/github`, stack.secrets.githubWebhookSecret, { ...push, repo: REPO });
  } catch (err) {
    out.error(err);
    return [];
  }
  const apps = reply.body.apps ?? [];
  if (apps.length === 0) out.line(`  ${reply.status}: ${JSON.stringify(reply.body)}`);
  return apps.map((app) => {
    out.line(`  ${app.app}: ${app.status} ${app.deploymentId}${app.errors?.length ? ` ${app.errors.join('; ')}` : ''}`);
    return watchDeployment(stack.core.history, app.deploymentId, {
      intervalMs: 200,
      ...(io.signal ? { signal: io.signal } : {}),
      onProgress(change) {
        const what = change.kind === 'stage' ? `${change.name} ${change.status}` : change.status;
        out.line(`  ${app.app} ${app.deploymentId}: ${what}`);
      },
    }).catch((err: unknown) => out.error(err));
  });
}
