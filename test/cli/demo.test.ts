import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { runCli } from './support.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('stepcd demo (npm start)', () => {
  it('deploys the baseline, runs the canary pipeline through an automatic approval and exits 0', async () => {
    const r = await runCli(['demo', '--yes', '--as', 'U-DEMO'], { cwd: ROOT });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toContain('Waits are shortened');
    expect(out).toMatch(/canary\s+QUICK_SYNC\s+SUCCESS/);
    // Live progress, in order, with elapsed times (a stage may show only its end if it was quick).
    const order = [
      '] ECS_CANARY_ROLLOUT',
      'deployment WAITING_APPROVAL',
      'approved: approved by U-DEMO',
      '] ECS_CANARY_CLEAN     SUCCESS',
      'deployment SUCCESS',
    ];
    const positions = order.map((s) => out.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(out).toMatch(/\[\s*\d+(m\d+)?s \| \d+\.\ds real\] ECS_TRAFFIC_ROUTING/);
    // At approval time traffic is split between the two versions with no errors.
    expect(out).toMatch(/traffic now: canary:1 80%, canary:2 20%; 0 5xx/);
    // The history table, the events and the final probe.
    expect(out).toMatch(/Deployment history of canary:\n\s+DEPLOYMENT\s+APP\s+COMMIT\s+STRATEGY\s+STATUS/);
    expect(out).toMatch(/d-\w+\s+canary\s+\w{7}\s+PIPELINE\s+SUCCESS/);
    expect(out).toMatch(/d-\w+\s+canary\s+\w{7}\s+QUICK_SYNC\s+SUCCESS/);
    for (const type of ['DEPLOYMENT_TRIGGERED', 'DEPLOYMENT_WAIT_APPROVAL', 'DEPLOYMENT_APPROVED', 'DEPLOYMENT_SUCCEEDED']) expect(out).toContain(type);
    expect(out).toMatch(/canary:2\s+200\n\s+5xx: 0 of 200/);
  });
});
