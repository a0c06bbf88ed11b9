import { describe, expect, it } from 'vitest';
import type { DeploymentStatus } from '../../src/domain/deployment.js';
import { alreadyClosedMessage, approvalsRemaining, closedReason, isAllowedApprover, type ApprovalFacts } from '../../src/approval/rules.js';

const NOW = new Date('2026-01-01T01:00:00.000Z');
const open: ApprovalFacts = { approvers: ['U1', 'U2'], minApproverNum: 2, approvedBy: [], status: 'OPEN', expiresAt: '2026-01-01T02:00:00.000Z' };

describe('isAllowedApprover', () => {
  it.each([
    ['success: a listed approver', ['U1'], 'U1', true],
    ['success: anyone when the list says *', ['*'], 'U9', true],
    ['fail: nobody when the list is empty (the planner fills it from the stack allowlist or refuses it)', [], 'U9', false],
    ['fail: someone not on the list', ['U1'], 'U9', false],
  ])('%s', (_name, approvers, user, expected) => {
    expect(isAllowedApprover({ approvers }, user)).toBe(expected);
  });
});

describe('approvalsRemaining', () => {
  it.each([
    [[], 2, 2],
    [['U1'], 2, 1],
    [['U1', 'U1'], 2, 1],
    [['U1', 'U2'], 2, 0],
    [['U1', 'U2', 'U3'], 2, 0],
  ])('counts distinct users: %j of %d leaves %d', (approvedBy, minApproverNum, expected) => {
    expect(approvalsRemaining({ approvedBy, minApproverNum })).toBe(expected);
  });
});

describe('closedReason', () => {
  const cases: [string, ApprovalFacts, DeploymentStatus, string | undefined][] = [
    ['success: open, running and in time', open, 'WAITING_APPROVAL', undefined],
    ['fail: approved earlier', { ...open, status: 'APPROVED', approvedBy: ['U1', 'U2'] }, 'RUNNING', 'this approval is already closed (approved by U1, U2)'],
    ['fail: rejected earlier', { ...open, status: 'REJECTED', closedBy: 'U2' }, 'ROLLING_BACK', 'this approval is already closed (rejected by U2)'],
    ['fail: timed out', { ...open, status: 'TIMED_OUT' }, 'FAILURE', 'this approval is already closed (timed out)'],
    ['fail: cancelled', { ...open, status: 'CANCELLED', closedBy: 'ops' }, 'CANCELLED', 'this approval is already closed (cancelled by ops)'],
    ['fail: the deployment ended while the item was open', open, 'SUCCESS', 'this approval is already closed (the deployment already ended: SUCCESS)'],
    ['fail: past its expiry', { ...open, expiresAt: '2026-01-01T00:59:59.000Z' }, 'WAITING_APPROVAL', 'this approval is already closed (timed out)'],
  ];
  it.each(cases)('%s', (_name, approval, status, expected) => {
    const reason = closedReason(approval, { status }, NOW);
    expect(reason ? alreadyClosedMessage(reason) : undefined).toBe(expected);
  });
});

describe("Rule: minApproverNum against approvers: ['*'] and groups", () => {
  it.each([
    ["success: two of anyone (approvers: ['*'])", "['*']", true],
    ['success: two of a Slack group', '[S0ONCALL]', true],
    ['fail: two of one named user', '[U0ALICE]', false],
  ])('%s', async (_name, list, ok) => {
    const { loadApp } = await import('../../src/manifest/load-app.js');
    const { exampleFiles } = await import('../support/examples.js');
    const files = await exampleFiles(['canary'], { prefix: '' });
    files['canary/app.pipecd.yaml'] = files['canary/app.pipecd.yaml']!.replace(
      '          timeout: 30m\n',
      `          timeout: 30m\n          approvers: ${list}\n          minApproverNum: 2\n`,
    );
    const result = await loadApp({ readFile: async (p) => files[p] }, 'canary/app.pipecd.yaml');
    expect(result.ok).toBe(ok);
  });
});
