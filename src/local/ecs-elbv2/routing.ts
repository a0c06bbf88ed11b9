import type { Condition, Rule, TargetGroupTuple } from './state.js';

/**
 * Pure routing decisions for the traffic probe: which rule a request matches, and how weighted
 * target groups share requests.
 */

/** ALB path patterns: `*` matches any run of characters, `?` exactly one; case-sensitive. */
export function pathMatches(pattern: string, path: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(path);
}

/**
 * A probe request carries only a path, so a condition on anything else (host, headers, source IP)
 * does not match it. Conditions combine with AND; values within one condition with OR.
 */
export function conditionsMatch(conditions: Condition[], path: string): boolean {
  return conditions.every((c) => {
    if (c.field !== 'path-pattern') return false;
    const config = c.configs.PathPatternConfig as { Values?: string[] } | undefined;
    const values = c.values.length > 0 ? c.values : (config?.Values ?? []);
    return values.some((pattern) => pathMatches(pattern, path));
  });
}

/** The matching rule with the lowest priority number, or undefined (the default rule then applies). */
export function matchRule(rules: Rule[], path: string): Rule | undefined {
  return [...rules].sort((a, b) => a.priority - b.priority).find((r) => conditionsMatch(r.conditions, path));
}

/**
 * Smooth weighted round-robin (as nginx does it): deterministic and exact over a full cycle, so
 * 80/20 over 100 requests gives exactly 80 and 20, interleaved rather than in blocks.
 */
export class SmoothWeightedRoundRobin {
  private readonly current: number[];
  constructor(private readonly groups: TargetGroupTuple[]) {
    this.current = groups.map(() => 0);
  }

  /** The next group's ARN, or undefined when every weight is 0 (nothing can be chosen). */
  next(): string | undefined {
    const total = this.groups.reduce((n, g) => n + g.weight, 0);
    if (total <= 0) return undefined;
    let best = -1;
    this.groups.forEach((g, i) => {
      this.current[i] = (this.current[i] ?? 0) + g.weight;
      if (best < 0 || (this.current[i] ?? 0) > (this.current[best] ?? 0)) best = i;
    });
    this.current[best] = (this.current[best] ?? 0) - total;
    return this.groups[best]?.targetGroupArn;
  }
}
