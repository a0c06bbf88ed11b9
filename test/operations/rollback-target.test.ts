import { describe, expect, it } from 'vitest';
import type { AppState, DeploymentRecord } from '../../src/domain/deployment.js';
import type { DeploymentPlan } from '../../src/domain/plan.js';
import { chooseRollbackTarget, rollbackPlan } from '../../src/operations/rollback-target.js';

const record = (id: string, sha: string, status: DeploymentRecord['status'], createdAt: string, app = 'web'): DeploymentRecord =>
  ({
    deploymentId: id,
    app: { name: app, dir: app, labels: {}, repo: 'o/r' },
    commit: { sha, message: '', author: '' },
    status,
    createdAt,
  }) as DeploymentRecord;

const state = (deploymentId: string, commitSha: string): AppState =>
  ({ queue: [], lastGood: { deploymentId, commitSha, taskDefinitionArn: 'arn:td', taskSetIds: [], at: '2026-01-05T00:00:00Z' } }) as unknown as AppState;

// Newest first, as listByApp returns them.
const HISTORY = [
  record('d5', 'eee', 'SUCCESS', '2026-01-05T00:00:00Z'),
  record('d4', 'ddd', 'FAILURE', '2026-01-04T00:00:00Z'),
  record('d3', 'eee', 'SUCCESS', '2026-01-03T00:00:00Z'),
  record('d2', 'bbb', 'SUCCESS', '2026-01-02T00:00:00Z'),
  record('d1', 'aaa', 'SUCCESS', '2026-01-01T00:00:00Z'),
];

describe('chooseRollbackTarget', () => {
  it('success: without --to, the newest SUCCESS before the live one of another commit (a failure and a redeploy of the live commit are skipped)', () => {
    expect(chooseRollbackTarget('web', state('d5', 'eee'), HISTORY).deploymentId).toBe('d2');
  });

  it('success: --to an earlier SUCCESS of the app', () => {
    expect(chooseRollbackTarget('web', state('d5', 'eee'), HISTORY, HISTORY[4]).deploymentId).toBe('d1');
  });

  it.each<[string, AppState, DeploymentRecord | undefined, string]>([
    ['fail: --to a FAILURE deployment', state('d5', 'eee'), HISTORY[1], 'deployment d4 ended FAILURE: only a SUCCESS deployment can be rolled back to'],
    ['fail: --to another app', state('d5', 'eee'), record('x1', 'aaa', 'SUCCESS', '2026-01-01T00:00:00Z', 'api'), 'deployment x1 is of app api, not web'],
    ['fail: --to the live deployment', state('d5', 'eee'), HISTORY[0], 'deployment d5 is what web runs now: nothing to roll back'],
    ['fail: no deployment succeeded yet', { queue: [] } as unknown as AppState, undefined, 'web has no successful deployment yet'],
    ['fail: nothing older than the live one', state('d1', 'aaa'), undefined, 'web has no successful deployment of another commit before the live one (d1)'],
  ])('%s', (_name, appState, to, message) => {
    expect(() => chooseRollbackTarget('web', appState, HISTORY, to)).toThrow(message);
  });
});

describe('rollbackPlan', () => {
  const recorded = {
    deploymentId: 'd2',
    executionName: 'web-bbb-1',
    app: { name: 'web', dir: 'web', labels: {}, repo: 'o/r' },
    commit: { sha: 'b'.repeat(40), message: 'v2', author: 'me' },
    trigger: { kind: 'push' },
    strategy: 'PIPELINE',
    stages: [
      { index: 0, name: 'ECS_CANARY_ROLLOUT', with: { scale: 30, stableTimeoutSeconds: 600 } },
      { index: 1, name: 'ECS_PRIMARY_ROLLOUT', with: { stableTimeoutSeconds: 600 } },
    ],
    taskDefinition: { family: 'web' },
    serviceDefinition: { cluster: 'demo', serviceName: 'web' },
    targetGroups: {},
    accessType: 'ELB',
    options: { autoRollback: true, timeoutSeconds: 60, mentions: [], pollIntervalSeconds: 15 },
    createdAt: '2026-01-02T00:00:00Z',
  } as DeploymentPlan;
  const now = new Date('2026-02-01T00:00:00Z');

  it('success: the recorded plan again through its pipeline, as a new deployment recorded as a rollback by the actor', () => {
    const plan = rollbackPlan({ recorded, actor: 'arn:aws:iam::1:user/alice', quick: false, now });
    expect(plan.deploymentId).not.toBe('d2');
    expect(plan.executionName).not.toBe(recorded.executionName);
    expect(plan.trigger).toEqual({ kind: 'rollback', actor: 'arn:aws:iam::1:user/alice', rollbackOf: 'd2' });
    expect(plan.stages).toEqual(recorded.stages);
    expect(plan.commit).toEqual(recorded.commit);
    expect(plan.taskDefinition).toEqual(recorded.taskDefinition);
    expect(plan.createdAt).toBe(now.toISOString());
  });

  it('success: --quick replaces the canary pipeline with one quick-sync stage', () => {
    const plan = rollbackPlan({ recorded, actor: 'a', quick: true, now });
    expect(plan.strategy).toBe('QUICK_SYNC');
    expect(plan.stages.map((s) => s.name)).toEqual(['ECS_SYNC']);
  });

  it('success: two requests make two deployments (each is its own decision)', () => {
    const a = rollbackPlan({ recorded, actor: 'a', quick: false, now });
    const b = rollbackPlan({ recorded, actor: 'a', quick: false, now: new Date(now.getTime() + 1) });
    expect(a.deploymentId).not.toBe(b.deploymentId);
  });
});
