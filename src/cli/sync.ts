import { ManifestPlanner } from '../gitops/app-planner.js';
import { createServiceLookup } from '../aws/ecs-services.js';
import { githubTrackedBranch } from '../gitops/github-branch.js';
import { localTrackedBranch } from '../gitops/local-git-branch.js';
import type { TrackedBranch } from '../operations/ports.js';
import { syncApp } from '../operations/sync.js';
import type { Target } from './context.js';
import { CliError } from './errors.js';
import type { CliIo, Output } from './output.js';

export interface SyncOptions {
  app: string;
  commit?: string;
  /** `--approvers`: the stack's allowlist (on AWS the CLI cannot read it; --local knows it). */
  stackApprovers?: string[];
  /** `--as`: a display name only; the actor recorded is the caller's AWS identity. */
  user: string;
}

/**
 * `stepcd sync <app>`: plans the app at the branch head with the planner pushes use, records a
 * deployment of kind sync with the caller's AWS identity, and starts it; the state machine queues it
 * behind a running deployment of the app. Git is read from the local stack's repository with
 * `--local`; on AWS from GitHub, with the caller's own token (GITHUB_TOKEN), at the repository and
 * branch of the app's last deployment.
 */
export async function syncCommand(opts: SyncOptions, target: Target, out: Output, io: Pick<CliIo, 'env'>): Promise<number> {
  const tracked = await trackedBranchFor(opts, target, io.env);
  try {
    const actor = await target.callerArn();
    const result = await syncApp(
      { app: opts.app, ...(opts.commit ? { commit: opts.commit } : {}), actor },
      {
        git: tracked.git,
        planner: new ManifestPlanner(createServiceLookup(target.clients.ecs), tracked.stackApprovers),
        history: target.history,
        workflow: target.workflow,
        events: target.events,
        now: target.now,
        wallNow: target.now,
      },
    );
    out.data({ ...result, kind: 'sync', actor, as: opts.user });
    out.line(`${out.paint('green', 'started')}: sync of ${opts.app} at ${result.commit.slice(0, 7)} (${result.strategy}), deployment ${result.deploymentId}`);
    out.line(`follow it with: stepcd wait ${result.deploymentId}`);
    return 0;
  } finally {
    tracked.close();
  }
}

interface Tracked {
  git: TrackedBranch;
  /** The stack's approver allowlist, for approval stages that name none (as the webhook plans them). */
  stackApprovers: string[];
  close(): void;
}

async function trackedBranchFor(opts: SyncOptions, target: Target, env: Record<string, string | undefined>): Promise<Tracked> {
  const local = target.local;
  if (local) {
    if (!local.repoDir || !local.repo || !local.branch) {
      throw new CliError('this local stack watches no manifests repository', { hint: 'restart it with `stepcd local <repo-dir>`', exitCode: 2 });
    }
    const git = localTrackedBranch(local.repoDir, local.repo, local.branch);
    return { git, stackApprovers: opts.stackApprovers ?? local.approvers ?? [], close: () => git.close() };
  }
  const [last] = await target.history.listByApp(opts.app, { limit: 1 });
  if (!last?.commit.branch) {
    throw new CliError(`no pushed deployment of ${opts.app} on ${target.label} to take its repository and branch from`, {
      hint: 'push a commit of the app to the tracked branch first',
    });
  }
  const token = env.GITHUB_TOKEN;
  if (!token) throw new CliError(`stepcd sync reads ${last.app.repo} from GitHub with your token`, { hint: 'set GITHUB_TOKEN (contents: read)', exitCode: 2 });
  const git = githubTrackedBranch({
    repo: last.app.repo,
    branch: last.commit.branch,
    auth: token,
    ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}),
  });
  return { git, stackApprovers: opts.stackApprovers ?? [], close: () => undefined };
}
