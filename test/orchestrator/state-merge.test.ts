import { describe, expect, it } from 'vitest';
import { emptyDeploymentState, type DeploymentState } from '../../src/domain/deployment.js';
import { mergeStates } from '../../src/orchestrator/state-merge.js';

const carried: DeploymentState = {
  ...emptyDeploymentState(),
  taskDefinitionArn: 'td:2',
  createdTaskSetIds: ['ts-canary'],
  routedRuleArns: ['rule-1'],
  touched: true,
};

describe('mergeStates', () => {
  it('keeps the carried state when the record has none', () => {
    expect(mergeStates(undefined, carried)).toBe(carried);
  });

  it('adds what only the record knows: a task set and a created service from a Lambda whose answer was lost', () => {
    const persisted: DeploymentState = { ...carried, createdTaskSetIds: ['ts-canary', 'ts-primary'], primaryTaskSetId: 'ts-primary', serviceCreated: true };
    expect(mergeStates(persisted, carried)).toEqual({ ...persisted, createdTaskSetIds: ['ts-canary', 'ts-primary'] });
  });

  it('never loses a flag or an id the carried state holds', () => {
    const stale: DeploymentState = emptyDeploymentState();
    const merged = mergeStates(stale, { ...carried, serviceCreated: true });
    expect(merged).toMatchObject({
      touched: true,
      serviceCreated: true,
      createdTaskSetIds: ['ts-canary'],
      routedRuleArns: ['rule-1'],
      taskDefinitionArn: 'td:2',
    });
  });
});
