import type { AppState, DeploymentRecord } from '../domain/deployment.js';
import { NotFoundError } from '../errors.js';
import type { AncestryPort, CommitRelation } from '../gitops/ancestry.js';
import type { DeploymentStore } from '../history/deployment-store.js';

/** A commit of the app that a new deployment must never replace if it is newer. */
export interface Contender {
  deploymentId: string;
  sha: string;
  /** When its push happened (GitHub's pushed_at, else when stepcd recorded it): the tie-break when history diverged. */
  pushedAt: string;
  createdAt?: string;
  role: 'deployed' | 'running' | 'queued';
}

export interface Supersession {
  by: Contender;
  /** Neither commit descends from the other (a force push): the later push won. */
  diverged: boolean;
}

/**
 * The rule of ARCHITECTURE §5: a deployment never replaces a newer commit. `self` is superseded by
 * the first contender whose commit descends from it, or, when history diverged, by a contender whose
 * push came later. Ancestry comes from Git; a commit Git no longer has (force-pushed away and
 * collected) counts as diverged. The same commit under another deployment id (a deliberate
 * re-deploy) supersedes nothing.
 */
export async function findSupersession(
  self: { deploymentId: string; sha: string; pushedAt: string; createdAt?: string },
  contenders: readonly Contender[],
  ancestry: AncestryPort,
): Promise<Supersession | undefined> {
  for (const other of contenders) {
    if (other.deploymentId === self.deploymentId || other.sha === self.sha) continue;
    const relation = await relationOf(ancestry, other.sha, self.sha);
    if (relation === 'behind') return { by: other, diverged: false };
    if (relation === 'diverged' && pushedLater(other, self)) return { by: other, diverged: true };
  }
  return undefined;
}

/** GitHub's pushed_at has one-second resolution: within the same second, the later record wins. */
function pushedLater(a: { pushedAt: string; createdAt?: string }, b: { pushedAt: string; createdAt?: string }): boolean {
  const [pa, pb] = [Date.parse(a.pushedAt), Date.parse(b.pushedAt)];
  if (pa !== pb) return pa > pb;
  return (a.createdAt ?? '') > (b.createdAt ?? '');
}

async function relationOf(ancestry: AncestryPort, base: string, head: string): Promise<CommitRelation> {
  try {
    return await ancestry.compare(base, head);
  } catch (err) {
    if (err instanceof NotFoundError) return 'diverged';
    throw err;
  }
}

const ROLE_WORDS: Record<Contender['role'], string> = { deployed: 'deployed', running: 'running', queued: 'queued' };

/** One line for the record: which newer commit won, and why. */
export function supersededReason(app: string, s: Supersession): string {
  const commit = s.by.sha.slice(0, 7);
  const why = s.diverged ? `history diverged (a force push?) and ${commit} was pushed later` : `${commit} is a newer commit of ${app}`;
  return `superseded by commit ${commit} (${ROLE_WORDS[s.by.role]}, deployment ${s.by.deploymentId}): ${why}; nothing was deployed`;
}

/**
 * The app's deployed (last good), running (lock holder) and queued commits, other than `selfId`.
 * The queued ones come first, newest arrival first: the likeliest to supersede.
 */
export async function contendersOf(appState: AppState, selfId: string, history: Pick<DeploymentStore, 'getDeployment'>): Promise<Contender[]> {
  const ids: { id: string; role: Contender['role'] }[] = [
    ...[...appState.queue].reverse().map((id) => ({ id, role: 'queued' as const })),
    ...(appState.lockHolder ? [{ id: appState.lockHolder, role: 'running' as const }] : []),
    ...(appState.lastGood ? [{ id: appState.lastGood.deploymentId, role: 'deployed' as const }] : []),
  ].filter((c) => c.id !== selfId);
  const records = await Promise.all(ids.map(({ id }) => history.getDeployment(id)));
  return ids.flatMap(({ id, role }, i): Contender[] => {
    const record = records[i];
    if (role === 'deployed' && appState.lastGood) {
      return [
        {
          deploymentId: id,
          sha: appState.lastGood.commitSha,
          pushedAt: record ? pushedAtOf(record) : appState.lastGood.at,
          ...(record ? { createdAt: record.createdAt } : {}),
          role,
        },
      ];
    }
    return record && isContending(record)
      ? [{ deploymentId: id, sha: record.commit.sha, pushedAt: pushedAtOf(record), createdAt: record.createdAt, role }]
      : [];
  });
}

/**
 * A rollback deliberately deploys an older commit over the live one: the deployed commit and every
 * deployment recorded before the rollback was asked for cannot supersede it. A push recorded after
 * it still does (a newer intent), so a rollback never replaces a commit pushed later.
 */
export function contendersAgainst(self: Pick<DeploymentRecord, 'trigger' | 'createdAt'>, contenders: readonly Contender[]): Contender[] {
  if (self.trigger.kind !== 'rollback') return [...contenders];
  return contenders.filter((c) => c.role !== 'deployed' && c.createdAt !== undefined && c.createdAt > self.createdAt);
}

export function pushedAtOf(record: Pick<DeploymentRecord, 'trigger' | 'createdAt'>): string {
  return record.trigger.pushedAt ?? record.createdAt;
}

/** A record that ended (superseded, cancelled) or is rolling back (its commit will not stay) contends no more. */
function isContending(record: DeploymentRecord): boolean {
  return ['PENDING', 'RUNNING', 'WAITING_APPROVAL'].includes(record.status);
}
