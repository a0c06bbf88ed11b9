import { describe, expect, it } from 'vitest';
import { parseApprovalRequest } from '../../src/approval/request-event.js';
import { approvalPlan } from '../support/stacks/approval.js';

const plan = approvalPlan('dep-x', { approvers: ['U1'] });
const stage = plan.stages[0];

describe('parseApprovalRequest', () => {
  it('accepts the Payload the WAIT_APPROVAL state sends', () => {
    expect(parseApprovalRequest({ taskToken: 't', plan, stage, timeoutSeconds: 3600 })).toEqual({ taskToken: 't', plan, stage });
  });

  it.each([
    ['fail: no token', { plan, stage }],
    ['fail: no plan', { taskToken: 't', stage }],
    ['fail: another stage kind', { taskToken: 't', plan, stage: { index: 0, name: 'WAIT', with: { durationSeconds: 5 } } }],
    ['fail: approval options missing', { taskToken: 't', plan, stage: { index: 0, name: 'WAIT_APPROVAL', with: {} } }],
    ['fail: nothing at all', undefined],
  ])('%s is refused with stepcd.InvalidState', (_name, event) => {
    expect(() => parseApprovalRequest(event)).toThrow(expect.objectContaining({ name: 'stepcd.InvalidState' }));
  });
});
