import { describe, expect, it } from 'vitest';
import { progressBetween } from '../../src/cli/watch.js';
import type { DeploymentRecord, StageRecord } from '../../src/domain/deployment.js';

function record(status: DeploymentRecord['status'], stages: StageRecord['status'][]): DeploymentRecord {
  return {
    deploymentId: 'd-1',
    app: { name: 'web', dir: 'web', labels: {}, repo: 'o/r' },
    commit: { sha: 'abc', message: 'm', author: 'a' },
    trigger: { kind: 'push' },
    strategy: 'PIPELINE',
    status,
    stages: stages.map((s, index) => ({ index, name: index === 0 ? 'ECS_CANARY_ROLLOUT' : 'WAIT_APPROVAL', status: s })),
    approvals: [],
    errors: [],
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
  };
}

describe('progressBetween', () => {
  it('reports the status and every started stage on the first read', () => {
    const changes = progressBetween(undefined, record('RUNNING', ['RUNNING', 'NOT_STARTED']));
    expect(changes.map((c) => (c.kind === 'stage' ? `${c.name} ${c.status}` : c.status))).toEqual(['ECS_CANARY_ROLLOUT RUNNING', 'RUNNING']);
  });

  it('puts stage changes before the status change they led to', () => {
    const changes = progressBetween(record('RUNNING', ['SUCCESS', 'NOT_STARTED']), record('WAITING_APPROVAL', ['SUCCESS', 'RUNNING']));
    expect(changes.map((c) => (c.kind === 'stage' ? `${c.name} ${c.status}` : c.status))).toEqual(['WAIT_APPROVAL RUNNING', 'WAITING_APPROVAL']);
  });

  it('reports nothing when nothing moved', () => {
    expect(progressBetween(record('RUNNING', ['RUNNING']), record('RUNNING', ['RUNNING']))).toEqual([]);
  });
});
