import type { ForwardRule, TrafficWeights } from '../ports.js';

/**
 * The weights an ECS_TRAFFIC_ROUTING stage asks for. PipeCD's rule: `primary` wins when it is
 * 1–100, otherwise `canary`, otherwise all on primary. The planner resolves both; we still
 * normalise here so that the pair always adds up to 100.
 */
export function routingWeights(wanted: { primary?: number; canary?: number }): TrafficWeights {
  const primary = wanted.primary;
  if (primary !== undefined && primary >= 1 && primary <= 100) return { primary, canary: 100 - primary };
  const canary = wanted.canary;
  if (canary !== undefined && canary >= 0 && canary <= 100) return { primary: 100 - canary, canary };
  return { primary: 100, canary: 0 };
}

export const ALL_PRIMARY: TrafficWeights = { primary: 100, canary: 0 };

/** The rules whose weights differ from the target: changing only these keeps re-runs free of writes. */
export function rulesToChange(rules: readonly ForwardRule[], target: TrafficWeights): ForwardRule[] {
  return rules.filter((r) => !sameShare(r.weights, target));
}

/** ALB weights are relative (0–999), so 1/1 equals 50/50; compare shares, not numbers. */
function sameShare(a: TrafficWeights, b: TrafficWeights): boolean {
  const totalA = a.primary + a.canary;
  const totalB = b.primary + b.canary;
  if (totalA === 0 || totalB === 0) return totalA === totalB;
  return a.primary * totalB === b.primary * totalA;
}

export function canaryHasTraffic(rules: readonly ForwardRule[]): boolean {
  return rules.some((r) => r.weights.canary > 0);
}
