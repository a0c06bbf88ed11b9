import { describe, expect, it } from 'vitest';
import { canaryHasTraffic, routingWeights, rulesToChange } from '../../../src/stages/elb/weights.js';
import { canaryReadiness } from '../../../src/stages/elb/route-traffic.js';
import type { ForwardRule } from '../../../src/stages/ports.js';

const rule = (primary: number, canary: number): ForwardRule => ({
  ruleArn: `r-${primary}-${canary}`,
  listenerArn: 'l',
  isDefault: false,
  weights: { primary, canary },
});

describe('routingWeights', () => {
  it.each([
    ['success: primary wins when 1–100', { primary: 80, canary: 50 }, { primary: 80, canary: 20 }],
    ['success: canary when primary is 0', { primary: 0, canary: 100 }, { primary: 0, canary: 100 }],
    ['success: canary alone', { canary: 20 }, { primary: 80, canary: 20 }],
    ['success: nothing means all on primary', {}, { primary: 100, canary: 0 }],
    ['success: primary 100', { primary: 100, canary: 0 }, { primary: 100, canary: 0 }],
  ])('%s', (_name, wanted, expected) => {
    expect(routingWeights(wanted)).toEqual(expected);
  });
});

describe('rulesToChange', () => {
  it('skips rules already at the same share, so re-runs write nothing', () => {
    const rules = [rule(100, 0), rule(80, 20), rule(4, 1)];
    expect(rulesToChange(rules, { primary: 80, canary: 20 }).map((r) => r.ruleArn)).toEqual(['r-100-0']);
  });

  it('sees that a canary still has weight', () => {
    expect(canaryHasTraffic([rule(100, 0), rule(90, 10)])).toBe(true);
    expect(canaryHasTraffic([rule(100, 0)])).toBe(false);
  });
});

describe('canaryReadiness', () => {
  it.each([
    ['success: all healthy', [{ id: 'a', state: 'healthy' }], true],
    [
      'success: draining leftovers are ignored',
      [
        { id: 'a', state: 'healthy' },
        { id: 'b', state: 'draining' },
      ],
      true,
    ],
    ['fail: no targets', [], false],
    [
      'fail: one still initial',
      [
        { id: 'a', state: 'healthy' },
        { id: 'b', state: 'initial' },
      ],
      false,
    ],
    ['fail: unhealthy', [{ id: 'a', state: 'unhealthy', reason: 'Target.FailedHealthChecks' }], false],
  ] as const)('%s', (_name, targets, ready) => {
    expect(canaryReadiness(targets).ready).toBe(ready);
  });
});
