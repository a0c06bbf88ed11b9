import type { DeploymentPlan } from '../../src/domain/plan.js';

/** A small but complete pipeline plan; override what a test cares about. */
export function samplePlan(overrides: Partial<DeploymentPlan> = {}): DeploymentPlan {
  return {
    deploymentId: 'dep-1',
    executionName: 'web-abc1234-0f0f0f',
    app: { name: 'web', dir: 'apps/web', labels: { env: 'dev' }, repo: 'acme/deploys' },
    commit: { sha: 'abc1234def5678', message: 'bump image', author: 'alice' },
    trigger: { kind: 'push', delivery: 'delivery-1' },
    strategy: 'PIPELINE',
    stages: [
      { index: 0, name: 'ECS_CANARY_ROLLOUT', with: { scale: 30, stableTimeoutSeconds: 600 } },
      { index: 1, name: 'WAIT_APPROVAL', with: { approvers: ['bob', 'carol'], minApproverNum: 2, timeoutSeconds: 3600 } },
      { index: 2, name: 'ECS_PRIMARY_ROLLOUT', with: { stableTimeoutSeconds: 600 } },
      { index: 3, name: 'ECS_CANARY_CLEAN', with: {} },
    ],
    taskDefinition: { family: 'web' },
    serviceDefinition: { cluster: 'default', serviceName: 'web' },
    targetGroups: {},
    accessType: 'ELB',
    options: { autoRollback: true, timeoutSeconds: 21600, mentions: [], pollIntervalSeconds: 15 },
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}
