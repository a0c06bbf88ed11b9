import { describe, expect, it } from 'vitest';
import { decideFinalisation, type FinalisationDecision, type FinalisationFacts } from '../../src/orchestrator/finaliser.js';

const running: FinalisationFacts = { status: 'ABORTED', rollbackOnly: false, recordFinal: false, lockHeld: true, ecsMayBeTouched: true, autoRollback: true };

describe('decideFinalisation', () => {
  it.each<[string, Partial<FinalisationFacts>, FinalisationDecision]>([
    ['success: a stopped deployment that touched ECS is rolled back and ends CANCELLED', {}, { kind: 'rollback', outcome: 'CANCELLED' }],
    ['success: a timed-out deployment that touched ECS is rolled back and ends FAILURE', { status: 'TIMED_OUT' }, { kind: 'rollback', outcome: 'FAILURE' }],
    ['success: a crashed deployment (FAILED outside Catch) is rolled back', { status: 'FAILED' }, { kind: 'rollback', outcome: 'FAILURE' }],
    ['success: a record already final only needs its lock released', { recordFinal: true }, { kind: 'release' }],
    [
      'fail: a rollback-only execution that ended this way is not retried',
      { rollbackOnly: true },
      { kind: 'finalise', status: 'FAILURE', note: 'rollback-failed' },
    ],
    [
      'success: a queued deployment never held the lock and is just closed',
      { lockHeld: false },
      { kind: 'finalise', status: 'CANCELLED', note: 'not-lock-holder' },
    ],
    ['success: nothing to undo before the first ECS stage', { ecsMayBeTouched: false }, { kind: 'finalise', status: 'CANCELLED', note: 'untouched' }],
    [
      'success: autoRollback off leaves ECS as it is',
      { autoRollback: false, status: 'TIMED_OUT' },
      { kind: 'finalise', status: 'FAILURE', note: 'no-auto-rollback' },
    ],
  ])('%s', (_name, facts, expected) => {
    expect(decideFinalisation({ ...running, ...facts })).toEqual(expected);
  });
});
