import { describe, expect, it } from 'vitest';
import { clockFor } from '../../src/dashboard/views/format.js';
import { deploymentBody } from '../../src/dashboard/views/deployment.js';
import { sampleRecord } from '../slack/fixtures.js';

const clock = clockFor(new Date('2026-01-01T00:04:30.000Z'), undefined, 'en-GB');

describe('the deployment page names who redeployed by hand', () => {
  it('success: a rollback shows its kind, its actor and a link to the deployment it went back to', async () => {
    const record = { ...sampleRecord(), trigger: { kind: 'rollback' as const, actor: 'arn:aws:iam::000000000000:user/ops', rollbackOf: 'd-earlier' } };
    const page = String(await deploymentBody({ record, logs: [], actor: { error: 'the deployment has ended' } }, clock));
    expect(page).toContain('<dt>Trigger</dt><dd>rollback by arn:aws:iam::000000000000:user/ops, back to <a href="/deployments/d-earlier">d-earlier</a></dd>');
  });

  it('success: a push shows no rollback link', async () => {
    const page = String(await deploymentBody({ record: sampleRecord(), logs: [], actor: { error: 'ended' } }, clock));
    expect(page).not.toContain('back to');
  });
});
