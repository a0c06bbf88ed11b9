import { describe, expect, it } from 'vitest';
import { nextRollbackAction, type RollbackFacts } from '../../../src/stages/ecs/rollback-actions.js';
import type { TaskSetInfo } from '../../../src/stages/ports.js';
import type { DeploymentState, LastGood } from '../../../src/domain/deployment.js';

const DEP = 'dep-2';
function set(id: string, externalId: string | undefined, overrides: Partial<TaskSetInfo> = {}): TaskSetInfo {
  return {
    id,
    arn: `arn:${id}`,
    ...(externalId ? { externalId } : {}),
    status: 'ACTIVE',
    stabilityStatus: 'STEADY_STATE',
    taskDefinitionArn: `td-${id}`,
    scalePercent: 100,
    computedDesiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    tags: {},
    ...overrides,
  };
}
const oldPrimary = set('old', 'dep-1:0:primary', { status: 'PRIMARY', taskDefinitionArn: 'td:1' });
const canary = set('canary', `${DEP}:0:canary`, { scalePercent: 30 });
const newPrimary = set('new', `${DEP}:2:primary`, { taskDefinitionArn: 'td:2' });
const lastGood: LastGood = { deploymentId: 'dep-1', commitSha: 'aaa', taskDefinitionArn: 'td:1', taskSetIds: ['old'], at: '2026-01-01T00:00:00Z' };
const state = (over: Partial<DeploymentState> = {}): DeploymentState => ({
  createdTaskSetIds: ['canary', 'new'],
  routedRuleArns: [],
  touched: true,
  previousPrimaryTaskSetId: 'old',
  previousPrimaryTaskDefinitionArn: 'td:1',
  ...over,
});
const facts = (over: Partial<RollbackFacts>): RollbackFacts => ({
  deploymentId: DEP,
  state: state(),
  lastGood,
  taskSets: [],
  canaryHasTraffic: false,
  serviceExists: true,
  ...over,
});

describe('nextRollbackAction', () => {
  it.each<[string, RollbackFacts, string]>([
    ['success: traffic goes back to primary before anything else', facts({ canaryHasTraffic: true, taskSets: [oldPrimary, canary] }), 'route-primary'],
    ['success: a canary-only deployment just deletes its canary', facts({ taskSets: [oldPrimary, canary] }), 'delete-task-sets'],
    [
      'success: the previous primary still alive is made PRIMARY again',
      facts({
        taskSets: [
          { ...oldPrimary, status: 'ACTIVE' },
          { ...newPrimary, status: 'PRIMARY' },
        ],
      }),
      'make-primary',
    ],
    [
      'success: a deleted previous primary is recreated from last good',
      facts({ taskSets: [{ ...newPrimary, status: 'PRIMARY' }, canary] }),
      'create-restore-set',
    ],
    [
      'success: a restore set still stabilising is waited for',
      facts({ taskSets: [{ ...newPrimary, status: 'PRIMARY' }, set('r', `${DEP}:rollback:primary`, { stabilityStatus: 'STABILIZING' })] }),
      'wait-stable',
    ],
    [
      'success: a steady restore set is made PRIMARY',
      facts({ taskSets: [{ ...newPrimary, status: 'PRIMARY' }, set('r', `${DEP}:rollback:primary`)] }),
      'make-primary',
    ],
    [
      "success: once restored, the deployment's sets are deleted",
      facts({ taskSets: [newPrimary, canary, set('r', `${DEP}:rollback:primary`, { status: 'PRIMARY' })] }),
      'delete-task-sets',
    ],
    ['success: done when only the last good set remains', facts({ taskSets: [set('r', `${DEP}:rollback:primary`, { status: 'PRIMARY' })] }), 'done'],
    [
      'success: a first deployment deletes the service it created',
      facts({
        lastGood: undefined,
        state: state({ serviceCreated: true, previousPrimaryTaskSetId: undefined, previousPrimaryTaskDefinitionArn: undefined }),
        taskSets: [{ ...newPrimary, status: 'PRIMARY' }],
      }),
      'delete-service',
    ],
    [
      'success: a first deployment waits until the service it deleted has drained',
      facts({
        lastGood: undefined,
        serviceExists: false,
        serviceDraining: true,
        taskSets: [],
        state: state({ serviceCreated: true, previousPrimaryTaskSetId: undefined, previousPrimaryTaskDefinitionArn: undefined }),
      }),
      'wait-service-gone',
    ],
    [
      'success: a first deployment into an existing empty service deletes only its sets',
      facts({
        lastGood: undefined,
        state: state({ previousPrimaryTaskSetId: undefined, previousPrimaryTaskDefinitionArn: undefined }),
        taskSets: [{ ...newPrimary, status: 'PRIMARY' }],
      }),
      'delete-task-sets',
    ],
    [
      'success: a service that predates stepcd is restored from its previous task definition',
      facts({ lastGood: undefined, taskSets: [{ ...newPrimary, status: 'PRIMARY' }] }),
      'create-restore-set',
    ],
  ])('%s', (_name, input, expected) => {
    expect(nextRollbackAction(input).kind).toBe(expected);
  });

  it('restores the last good task definition, not the previous revision', () => {
    const action = nextRollbackAction(facts({ lastGood: { ...lastGood, taskDefinitionArn: 'td:7' }, taskSets: [{ ...newPrimary, status: 'PRIMARY' }] }));
    expect(action).toEqual({ kind: 'create-restore-set', taskDefinitionArn: 'td:7' });
  });

  it('says plainly that a first deployment had nothing to roll back to', () => {
    const action = nextRollbackAction(
      facts({
        lastGood: undefined,
        serviceExists: false,
        taskSets: [],
        state: state({ serviceCreated: true, previousPrimaryTaskSetId: undefined, previousPrimaryTaskDefinitionArn: undefined }),
      }),
    );
    expect(action.kind).toBe('done');
    expect(action.kind === 'done' && action.summary).toMatch(/^first deployment, nothing to roll back to: removed the service this deployment created/);
  });

  it('reports nothing to do when the deployment never touched ECS', () => {
    const action = nextRollbackAction(facts({ state: { createdTaskSetIds: [], routedRuleArns: [], touched: false }, taskSets: [oldPrimary] }));
    expect(action).toEqual({ kind: 'done', summary: 'nothing to roll back: this deployment had not changed ECS' });
  });
});
