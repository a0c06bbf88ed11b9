import { describe, expect, it } from 'vitest';
import type { AncestryPort, CommitRelation } from '../../src/gitops/ancestry.js';
import { NotFoundError } from '../../src/errors.js';
import { contendersAgainst, findSupersession, supersededReason, type Contender } from '../../src/orchestrator/supersede.js';

/** History as a parent table: `x` descends from everything on its parent chain. */
function ancestryOf(parents: Record<string, string | undefined>): AncestryPort {
  const chain = (sha: string) => {
    const out: string[] = [];
    for (let s: string | undefined = sha; s; s = parents[s]) out.push(s);
    return out;
  };
  return {
    async compare(base, head): Promise<CommitRelation> {
      if (!(base in parents) || !(head in parents)) throw new NotFoundError(`unknown commit ${!(base in parents) ? base : head}`);
      if (base === head) return 'identical';
      if (chain(base).includes(head)) return 'behind';
      if (chain(head).includes(base)) return 'ahead';
      return 'diverged';
    },
  };
}

// 1 ← 2 ← 3 on main; 2 ← 9 on a rewritten history.
const git = ancestryOf({ c1: undefined, c2: 'c1', c3: 'c2', c9: 'c2' });
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const contender = (sha: string, role: Contender['role'], pushedAt = at(0)): Contender => ({ deploymentId: `d-${sha}`, sha, pushedAt, role });

const CASES: { name: string; self: string; selfAt?: number; others: Contender[]; by?: string; diverged?: boolean }[] = [
  { name: 'fail: an ancestor of the deployed commit is superseded by it', self: 'c1', others: [contender('c2', 'deployed')], by: 'c2', diverged: false },
  { name: 'fail: an ancestor of the running commit is superseded by it', self: 'c2', others: [contender('c3', 'running')], by: 'c3', diverged: false },
  {
    name: 'fail: an ancestor of a queued commit is superseded by it, whatever arrived last',
    self: 'c1',
    others: [contender('c3', 'queued'), contender('c2', 'deployed')],
    by: 'c3',
    diverged: false,
  },
  { name: 'success: a descendant of every contender goes ahead', self: 'c3', others: [contender('c1', 'deployed'), contender('c2', 'queued')] },
  { name: 'success: the same commit under another id (a re-deploy) supersedes nothing', self: 'c2', others: [contender('c2', 'deployed')] },
  {
    name: 'fail: diverged history, the other pushed later: superseded',
    self: 'c3',
    selfAt: 1,
    others: [contender('c9', 'deployed', at(5))],
    by: 'c9',
    diverged: true,
  },
  { name: 'success: diverged history, this push later: goes ahead', self: 'c9', selfAt: 9, others: [contender('c3', 'deployed', at(5))] },
  {
    name: 'fail: a contender Git no longer has counts as diverged (later push wins)',
    self: 'c3',
    selfAt: 1,
    others: [contender('gone', 'deployed', at(5))],
    by: 'gone',
    diverged: true,
  },
];

describe('Rule: never an older commit over a newer one (findSupersession)', () => {
  it.each(CASES)('$name', async ({ self, selfAt = 0, others, by, diverged }) => {
    const out = await findSupersession({ deploymentId: `d-self-${self}`, sha: self, pushedAt: at(selfAt) }, others, git);
    if (!by) return expect(out).toBeUndefined();
    expect(out).toEqual({ by: expect.objectContaining({ sha: by }), diverged });
  });

  it('names the newer commit, its role and deployment, and why', () => {
    const sha = 'abcdef0123456789abcdef0123456789abcdef01';
    expect(supersededReason('web', { by: { deploymentId: 'd-1', sha, pushedAt: at(0), role: 'queued' }, diverged: false })).toBe(
      'superseded by commit abcdef0 (queued, deployment d-1): abcdef0 is a newer commit of web; nothing was deployed',
    );
    expect(supersededReason('web', { by: { deploymentId: 'd-1', sha, pushedAt: at(0), role: 'deployed' }, diverged: true })).toBe(
      'superseded by commit abcdef0 (deployed, deployment d-1): history diverged (a force push?) and abcdef0 was pushed later; nothing was deployed',
    );
  });
});

describe('Rule: a rollback replaces the live commit, never a later push (contendersAgainst)', () => {
  const at = (t: string) => `2026-01-01T00:00:${t}Z`;
  const CONTENDERS: Contender[] = [
    { deploymentId: 'q-later', sha: 'c', pushedAt: at('30'), createdAt: at('30'), role: 'queued' },
    { deploymentId: 'q-earlier', sha: 'b', pushedAt: at('05'), createdAt: at('05'), role: 'queued' },
    { deploymentId: 'run', sha: 'b', pushedAt: at('04'), createdAt: at('04'), role: 'running' },
    { deploymentId: 'live', sha: 'a', pushedAt: at('01'), createdAt: at('01'), role: 'deployed' },
  ];

  it('success: a push or a sync faces every contender', () => {
    for (const kind of ['push', 'sync'] as const) {
      expect(contendersAgainst({ trigger: { kind }, createdAt: at('10') }, CONTENDERS)).toEqual(CONTENDERS);
    }
  });

  it('success: a rollback faces only what was recorded after it, never the deployed commit', () => {
    const left = contendersAgainst({ trigger: { kind: 'rollback', rollbackOf: 'old' }, createdAt: at('10') }, CONTENDERS);
    expect(left.map((c) => c.deploymentId)).toEqual(['q-later']);
  });
});
