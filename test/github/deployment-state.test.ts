import { describe, expect, it } from 'vitest';
import type { DeploymentRecord, DeploymentStatus } from '../../src/domain/deployment.js';
import { deploymentLink, environmentFor, githubStateFor, stateRank, statusDescription } from '../../src/github/deployment-state.js';
import { deploymentIdOf } from '../../src/github/mirror-event.js';

describe('GitHub deployment state', () => {
  it.each<[DeploymentStatus, string]>([
    ['PENDING', 'queued'],
    ['RUNNING', 'in_progress'],
    ['WAITING_APPROVAL', 'in_progress'],
    ['ROLLING_BACK', 'in_progress'],
    ['SUCCESS', 'success'],
    ['FAILURE', 'failure'],
    ['CANCELLED', 'failure'],
    ['TRIGGER_FAILED', 'failure'],
    ['SUPERSEDED', 'inactive'],
  ])('success: %s is %s on GitHub', (status, state) => {
    expect(githubStateFor(status)).toBe(state);
  });

  it('orders states so that a final one is never followed by an earlier one', () => {
    expect([undefined, 'queued', 'in_progress', 'success'].map((s) => stateRank(s as never))).toEqual([0, 1, 2, 3]);
    expect(stateRank('failure')).toBe(stateRank('inactive'));
  });

  it('names the environment after the app, with its env label when it has one', () => {
    expect(environmentFor({ name: 'web', labels: { env: 'prod', team: 'a' } })).toBe('web/prod');
    expect(environmentFor({ name: 'web', labels: {} })).toBe('web');
  });

  it('links the dashboard page when there is one, else the execution in the console', () => {
    const record = { deploymentId: 'd-1 x', executionArn: 'arn:aws:states:eu-west-1:1:execution:m:e' } as DeploymentRecord;
    expect(deploymentLink(record, 'https://cd.example.com')).toBe('https://cd.example.com/deployments/d-1%20x');
    expect(deploymentLink(record, undefined)).toBe(
      'https://eu-west-1.console.aws.amazon.com/states/home?region=eu-west-1#/v2/executions/details/arn:aws:states:eu-west-1:1:execution:m:e',
    );
    expect(deploymentLink({ deploymentId: 'd' } as DeploymentRecord, undefined)).toBeUndefined();
  });

  it('keeps a status description within the 140 characters GitHub accepts', () => {
    const text = statusDescription({ deploymentId: 'd', status: 'FAILURE', reason: 'x'.repeat(300) } as DeploymentRecord);
    expect(text).toHaveLength(140);
    expect(text.startsWith('stepcd FAILURE: xxx')).toBe(true);
  });
});

describe('deploymentIdOf', () => {
  it.each([
    ['success: a stepcd event names it', { source: 'stepcd', 'detail-type': 'DEPLOYMENT_STARTED', detail: { deploymentId: 'd-1' } }, 'd-1'],
    [
      'success: an execution end carries the plan as input',
      { source: 'aws.states', 'detail-type': 'Step Functions Execution Status Change', detail: { input: '{"deploymentId":"d-2","app":{}}' } },
      'd-2',
    ],
    [
      'success: a rollback-only execution holds the plan',
      { source: 'aws.states', 'detail-type': 'x', detail: { input: '{"rollbackOnly":true,"plan":{"deploymentId":"d-3"}}' } },
      'd-3',
    ],
    ['fail: an execution without input', { source: 'aws.states', 'detail-type': 'x', detail: { input: null } }, undefined],
    ['fail: input that is not JSON', { source: 'aws.states', 'detail-type': 'x', detail: { input: 'nope' } }, undefined],
    ['fail: another source', { source: 'aws.ecs', 'detail-type': 'x', detail: { deploymentId: 'd-4' } }, undefined],
  ])('%s', (_name, event, expected) => {
    expect(deploymentIdOf(event)).toBe(expected);
  });
});
