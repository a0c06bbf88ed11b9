import type { TriggerRef } from '../domain/plan.js';
import { InvalidManifestError, InvalidStateError, NotFoundError } from '../errors.js';
import { readAppTrigger } from '../gitops/affected-apps.js';
import { findAppConfigFiles } from '../gitops/config-analysis.js';
import { filesAt, type FilesAtCommit } from '../gitops/manifest-source.js';
import type { PushEvent } from '../gitops/push-event.js';
import type { SyncDeps } from './ports.js';
import { startDeployment, type Started } from './start.js';

export interface SyncRequest {
  app: string;
  /** A commit of the tracked branch; its head when absent. */
  commit?: string;
  /** Who asked (the caller's AWS identity ARN). */
  actor: string;
}

export interface SyncResult extends Started {
  app: string;
  commit: string;
  configPath: string;
  strategy: 'QUICK_SYNC' | 'PIPELINE';
}

/**
 * `stepcd sync`: deploys the app's manifests at the branch head (or at one of its commits) through
 * its pipeline, exactly as a push of that commit would be: the same planner, record and execution.
 * A commit older than the live one is not refused here; Begin ends it SUPERSEDED, as for a push.
 */
export async function syncApp(req: SyncRequest, deps: SyncDeps): Promise<SyncResult> {
  const { git } = deps;
  const head = await git.head();
  const sha = req.commit ? await onBranch(req.commit, head, deps) : head;
  const files = filesAt(git.source, sha);
  const configPath = await configPathOf(req.app, files, git.repo);
  const commit = { ...(await git.commit(sha)), branch: git.branch };
  const trigger: TriggerRef = { kind: 'sync', actor: req.actor };
  const push: PushEvent = { repo: git.repo, ref: `refs/heads/${git.branch}`, refName: git.branch, refType: 'branch', before: sha, after: sha, commit };
  const now = deps.now();
  // A new id per request: the commit may already have been deployed by its push.
  const outcome = await deps.planner.plan({ configPath, files, push, trigger, now, salt: `sync:${req.actor}:${now.toISOString()}` });
  if (!outcome.ok) throw new InvalidManifestError(outcome.issues);
  const started = await startDeployment(outcome.plan, deps);
  return { ...started, app: req.app, commit: sha, configPath, strategy: outcome.plan.strategy };
}

/** The full sha of `ref` when it is the head or an ancestor of it; anything else is refused. */
async function onBranch(ref: string, head: string, deps: SyncDeps): Promise<string> {
  const { git } = deps;
  let sha: string;
  try {
    sha = (await git.commit(ref)).sha;
  } catch (err) {
    if (err instanceof NotFoundError) throw new NotFoundError(`commit ${ref} is not in ${git.repo}`, { cause: err });
    throw err;
  }
  const relation = await git.ancestry.compare(sha, head);
  if (relation !== 'identical' && relation !== 'ahead') {
    throw new InvalidStateError(
      `commit ${sha.slice(0, 7)} is not on branch ${git.branch} of ${git.repo} (head ${head.slice(0, 7)}): stepcd deploys only the tracked branch`,
    );
  }
  return sha;
}

/** The config file whose spec.name is `app`, at the commit. */
async function configPathOf(app: string, files: FilesAtCommit, repo: string): Promise<string> {
  const configs = findAppConfigFiles(await files.tree());
  for (const config of configs) {
    if (readAppTrigger(config.path, await files.read(config.path)).name === app) return config.path;
  }
  throw new NotFoundError(`no app named ${app} in ${repo} at ${files.sha.slice(0, 7)} (looked at ${configs.length} app config file(s))`);
}
