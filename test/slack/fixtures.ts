import type { DeploymentRecord } from '../../src/domain/deployment.js';

/** A mid-flight canary deployment: two stages done, the approval stage running. */
export function sampleRecord(overrides: Partial<DeploymentRecord> = {}): DeploymentRecord {
  return {
    deploymentId: 'dep-0001',
    app: { name: 'web', dir: 'apps/web', labels: { env: 'dev', team: 'a<b' }, repo: 'acme/deploys' },
    commit: {
      sha: '0123456789abcdef0123456789abcdef01234567',
      message: 'Ship <script> & friends\n\nlong body',
      author: 'alice',
      url: 'https://github.com/acme/deploys/commit/0123456789abcdef0123456789abcdef01234567',
    },
    trigger: { kind: 'push' },
    strategy: 'PIPELINE',
    status: 'WAITING_APPROVAL',
    stages: [
      { index: 0, name: 'ECS_CANARY_ROLLOUT', status: 'SUCCESS', startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T00:02:05.000Z' },
      { index: 1, name: 'ECS_TRAFFIC_ROUTING', status: 'SKIPPED' },
      { index: 2, name: 'WAIT_APPROVAL', status: 'RUNNING', startedAt: '2026-01-01T00:03:00.000Z' },
      { index: 3, name: 'ECS_PRIMARY_ROLLOUT', status: 'NOT_STARTED' },
    ],
    approvals: [],
    errors: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:03:00.000Z',
    ...overrides,
  };
}
