import { createEcsAdapter } from '../aws/ecs.js';
import { ManifestPlanner, serviceLookupOver } from '../gitops/app-planner.js';
import { localTrackedBranch } from '../gitops/local-git-branch.js';
import { syncApp } from '../operations/sync.js';
import type { Target } from './context.js';
import { CliError } from './errors.js';
import type { Output } from './output.js';

export interface SyncOptions {
  app: string;
  commit?: string;
  /** `--as`: a display name only; the actor recorded is the caller's AWS identity. */
  user: string;
}

/**
 * `stepcd sync <app>`: plans the app at the branch head with the planner pushes use, records a
 * deployment of kind sync with the caller's AWS identity, and starts it; the state machine queues it
 * behind a running deployment of the app. Reading Git needs the manifests repository: the local
 * stack's, for now (on AWS, push a commit).
 */
export async function syncCommand(opts: SyncOptions, target: Target, out: Output): Promise<number> {
  const local = target.local;
  if (!local?.repoDir || !local.repo || !local.branch) {
    throw new CliError('stepcd sync reads the manifests repository, which only the local stack gives this CLI', {
      hint: 'use --local (a `stepcd local` stack); on AWS, push a commit to the tracked branch (an empty commit redeploys its head)',
      exitCode: 2,
    });
  }
  const git = localTrackedBranch(local.repoDir, local.repo, local.branch);
  try {
    const actor = await target.callerArn();
    const result = await syncApp(
      { app: opts.app, ...(opts.commit ? { commit: opts.commit } : {}), actor },
      {
        git,
        planner: new ManifestPlanner(serviceLookupOver(createEcsAdapter(target.clients.ecs)), local.approvers ?? []),
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
    git.close();
  }
}
