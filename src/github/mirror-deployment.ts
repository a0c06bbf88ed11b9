import type { Config } from '../config/index.js';
import type { DeploymentRecord } from '../domain/deployment.js';
import type { EventDetail } from '../domain/events.js';
import { TransientError } from '../errors.js';
import type { DeploymentStore } from '../history/deployment-store.js';
import type { GithubDeploymentLinks } from './deployment-links.js';
import { deploymentLink, environmentFor, githubStateFor, stateRank, statusDescription, type GithubDeploymentState } from './deployment-state.js';
import type { GithubRest } from './github-rest.js';

const OWNER_NAME = /^[\w.-]+\/[\w.-]+$/;

/** Is `repo` one stepcd reaches on GitHub: an owner/name among the tracked ones (any, when none is named)? */
export function isTrackedGithubRepo(github: Pick<Config['github'], 'repos'>, repo: string): boolean {
  if (!OWNER_NAME.test(repo)) return false;
  return github.repos.length === 0 || github.repos.some((r) => r.toLowerCase() === repo.toLowerCase());
}

export interface MirrorDeps {
  history: Pick<DeploymentStore, 'getDeployment'>;
  links: GithubDeploymentLinks;
  /** The client for a repository; undefined when stepcd cannot reach it on GitHub (a local repo). */
  github(repo: string): GithubRest | undefined;
  dashboardUrl?: string;
  now(): Date;
}

export type MirrorOutcome = { kind: 'mirrored'; githubDeploymentId: number; state: GithubDeploymentState } | { kind: 'skipped'; reason: string };

/** A claim without an id this old was left by a crashed invocation: its successor may create. */
const STALE_CLAIM_MS = 60_000;
/** The marker in the GitHub deployment's payload that finds it again after a crash. */
const MARKER = 'stepcdDeploymentId';

/**
 * Mirrors one stepcd deployment on GitHub: on the first event, a GitHub Deployment for its commit
 * (environment = the app, or `app/env`), then one status per state change. The state posted is the
 * record's current one, not the event's, and it only ever moves forward, so late, repeated or
 * reordered events are harmless. At most three GitHub calls per event (find, create, status).
 */
export async function mirrorDeployment(detail: Pick<EventDetail, 'deploymentId'>, deps: MirrorDeps): Promise<MirrorOutcome> {
  let outcome = await mirrorOnce(detail.deploymentId, deps);
  // The record may have moved on while this call created the GitHub deployment, and the events of
  // those moves may have been refused meanwhile (the claim was taken): catch up, a bounded number of times.
  for (let i = 0; i < 3 && outcome.kind === 'mirrored' && !FINAL_STATES.has(outcome.state); i++) {
    const next = await mirrorOnce(detail.deploymentId, deps);
    if (next.kind !== 'mirrored') break;
    outcome = next;
  }
  return outcome;
}

const FINAL_STATES = new Set<GithubDeploymentState>(['success', 'failure', 'inactive']);

async function mirrorOnce(deploymentId: string, deps: MirrorDeps): Promise<MirrorOutcome> {
  const record = await deps.history.getDeployment(deploymentId);
  if (!record) return { kind: 'skipped', reason: `no deployment ${deploymentId} in the history` };
  const github = deps.github(record.app.repo);
  if (!github) return { kind: 'skipped', reason: `${record.app.repo} is not a GitHub repository` };
  const state = githubStateFor(record.status);
  const link = await deps.links.get(record.deploymentId);
  if (link?.mirroredRank !== undefined && link.mirroredRank >= stateRank(state)) {
    return { kind: 'skipped', reason: `GitHub already shows ${link.mirrored}` };
  }
  const githubDeploymentId = link?.githubDeploymentId ?? (await ensureGithubDeployment(record, link, github, deps));

  const previous = { ...(link?.mirrored !== undefined && { mirrored: link.mirrored, mirroredRank: link.mirroredRank }) };
  if (!(await deps.links.advance(record.deploymentId, state, stateRank(state)))) {
    return { kind: 'skipped', reason: 'another invocation posted this state or a later one' };
  }
  const url = deploymentLink(record, deps.dashboardUrl);
  try {
    await github.call(`posting ${state} on GitHub deployment ${githubDeploymentId}`, () =>
      github.octokit.request('POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
        owner: github.owner,
        repo: github.name,
        deployment_id: githubDeploymentId,
        state,
        description: statusDescription(record),
        environment: environmentFor(record.app),
        ...(url ? { log_url: url } : {}),
        // GitHub then marks the environment's earlier successful deployments inactive: replaced.
        ...(state === 'success' ? { auto_inactive: true } : {}),
      }),
    );
  } catch (err) {
    await deps.links.retreat(record.deploymentId, state, previous);
    throw err;
  }
  return { kind: 'mirrored', githubDeploymentId, state };
}

async function ensureGithubDeployment(
  record: DeploymentRecord,
  link: Awaited<ReturnType<GithubDeploymentLinks['get']>>,
  github: GithubRest,
  deps: MirrorDeps,
): Promise<number> {
  const environment = environmentFor(record.app);
  const won = link === undefined && (await deps.links.claim(record.deploymentId));
  if (!won) {
    // Someone else is creating it, or crashed while doing so: it may already exist on GitHub.
    const current = link ?? (await deps.links.get(record.deploymentId));
    if (current?.githubDeploymentId !== undefined) return current.githubDeploymentId;
    const found = await findGithubDeployment(record, environment, github);
    if (found !== undefined) {
      await deps.links.setGithubId(record.deploymentId, found);
      return found;
    }
    const age = current ? deps.now().getTime() - Date.parse(current.claimedAt) : 0;
    if (age < STALE_CLAIM_MS) throw new TransientError(`the GitHub deployment of ${record.deploymentId} is being created by another invocation`);
  } else {
    const found = await findGithubDeployment(record, environment, github);
    if (found !== undefined) {
      await deps.links.setGithubId(record.deploymentId, found);
      return found;
    }
  }
  const { data } = await github.call(`creating the GitHub deployment of ${record.app.name} at ${record.commit.sha}`, () =>
    github.octokit.request('POST /repos/{owner}/{repo}/deployments', {
      owner: github.owner,
      repo: github.name,
      ref: record.commit.sha,
      environment,
      description: `stepcd ${record.app.name} ${record.deploymentId}`.slice(0, 140),
      // stepcd decides what deploys; GitHub must neither merge the default branch in nor wait for checks.
      auto_merge: false,
      required_contexts: [],
      payload: { [MARKER]: record.deploymentId },
    }),
  );
  const id = (data as { id?: number }).id;
  if (typeof id !== 'number')
    throw new TransientError(`GitHub created no deployment for ${record.deploymentId}: ${(data as { message?: string }).message ?? 'no id'}`);
  await deps.links.setGithubId(record.deploymentId, id);
  return id;
}

async function findGithubDeployment(record: DeploymentRecord, environment: string, github: GithubRest): Promise<number | undefined> {
  const { data } = await github.call(`listing GitHub deployments of ${record.commit.sha}`, () =>
    github.octokit.request('GET /repos/{owner}/{repo}/deployments', {
      owner: github.owner,
      repo: github.name,
      sha: record.commit.sha,
      environment,
      per_page: 100,
    }),
  );
  const mine = data.find(
    (d) =>
      (d.payload as Record<string, unknown> | string | undefined) !== undefined &&
      typeof d.payload === 'object' &&
      (d.payload as Record<string, unknown>)[MARKER] === record.deploymentId,
  );
  // The core's route types allow a bigint id; GitHub's JSON never sends one.
  return mine === undefined ? undefined : Number(mine.id);
}
