import type { DeploymentState, TrafficRestore } from '../../domain/deployment.js';
import type { DeploymentPlan } from '../../domain/plan.js';
import { InvalidStateError, UnhealthyCanaryError } from '../../errors.js';
import type { ForwardRule, StagePorts, TargetHealth, TrafficWeights } from '../ports.js';
import { rulesToChange } from './weights.js';

export interface TargetGroupPair {
  primary: string;
  canary: string;
}

/** Both target groups, or undefined when the app has no traffic to shift (service discovery, one group). */
export function targetGroupPair(plan: DeploymentPlan): TargetGroupPair | undefined {
  if (plan.accessType !== 'ELB') return undefined;
  const primary = plan.targetGroups.primary?.targetGroupArn;
  const canary = plan.targetGroups.canary?.targetGroupArn;
  return primary && canary ? { primary, canary } : undefined;
}

/**
 * Sets the weights on every rule forwarding to both groups, changing only rules that differ, so a
 * repeated call writes nothing. Before the canary gets any weight its targets must be healthy.
 */
export async function routeTraffic(
  plan: DeploymentPlan,
  state: DeploymentState,
  ports: StagePorts,
  weights: TrafficWeights,
  options: { requireRules: boolean },
): Promise<{ state: DeploymentState; changed: string[]; rules: ForwardRule[] }> {
  const pair = targetGroupPair(plan);
  if (!pair) return { state, changed: [], rules: [] };
  const rules = await ports.elb.findForwardRules(pair.primary, pair.canary);
  if (rules.length === 0 && options.requireRules) {
    throw new InvalidStateError(`no listener rule forwards to exactly {${pair.primary}, ${pair.canary}}; add both target groups to a forward action`);
  }
  const toChange = rulesToChange(rules, weights);
  if (toChange.length > 0 && weights.canary > 0) await assertCanaryHealthy(pair.canary, ports);
  // Before the first weight this deployment changes: what rollback writes back, without reading.
  const trafficRestore = state.trafficRestore ?? (toChange.length > 0 ? snapshotOf(rules, pair) : undefined);
  for (const rule of toChange) {
    await ports.elb.setRuleWeights(rule, pair, weights);
  }
  const changed = toChange.map((r) => r.ruleArn);
  if (changed.length > 0) ports.log('changed listener rule weights', { ruleArns: changed, weights });
  const routedRuleArns = [...new Set([...state.routedRuleArns, ...changed])];
  const next = changed.length > 0 ? { ...state, routedRuleArns, touched: true, ...(trafficRestore ? { trafficRestore } : {}) } : state;
  return { state: next, changed, rules };
}

/** The rules as read; one the adapter read without its action list cannot be restored blind. */
function snapshotOf(rules: readonly ForwardRule[], targetGroups: TargetGroupPair): TrafficRestore | undefined {
  if (rules.some((r) => !r.actions)) return undefined;
  return {
    targetGroups,
    rules: rules.map((r) => ({ ruleArn: r.ruleArn, listenerArn: r.listenerArn, isDefault: r.isDefault, weights: r.weights, actions: r.actions ?? [] })),
  };
}

async function assertCanaryHealthy(canaryTargetGroupArn: string, ports: StagePorts): Promise<void> {
  const verdict = canaryReadiness(await ports.elb.targetHealth(canaryTargetGroupArn));
  if (!verdict.ready) {
    throw new UnhealthyCanaryError(`refusing to route traffic to canary target group ${canaryTargetGroupArn}: ${verdict.reason}`);
  }
}

/** Ready when it has targets and every one not on its way out is healthy. */
export function canaryReadiness(targets: readonly TargetHealth[]): { ready: true } | { ready: false; reason: string } {
  const current = targets.filter((t) => t.state !== 'draining' && t.state !== 'unused');
  if (current.length === 0) return { ready: false, reason: 'it has no registered targets' };
  const bad = current.filter((t) => t.state !== 'healthy');
  if (bad.length === 0) return { ready: true };
  const states = bad.map((t) => `${t.id}${t.port ? `:${t.port}` : ''} ${t.state}${t.reason ? ` (${t.reason})` : ''}`);
  return { ready: false, reason: `${bad.length} of ${current.length} targets are not healthy: ${states.join(', ')}` };
}
