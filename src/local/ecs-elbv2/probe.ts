import type { Observer, ObservedTarget } from './observe.js';
import { matchRule, SmoothWeightedRoundRobin } from './routing.js';
import type { Action, World } from './state.js';
import type { ProbeOptions, ProbeResult } from './types.js';

/**
 * Sends `requests` simulated requests through a listener as its rules, weights and target health
 * stand at `now`. Each request: the matching rule (or default) → a target group by weight → a healthy
 * target round-robin; no healthy target answers 503, as an ALB does. Each call starts its round-robin
 * afresh, so results depend only on the state, never on earlier probes.
 */
export function probe(world: World, observer: Observer, now: number, opts: ProbeOptions): ProbeResult {
  const listener = world.listeners.get(opts.listenerArn);
  if (!listener) throw new Error(`probe: listener not found: ${opts.listenerArn}`);
  const path = opts.path ?? '/';
  const rules = [...world.rules.values()].filter((r) => r.listenerArn === listener.arn);
  const actions = matchRule(rules, path)?.actions ?? listener.defaultActions;

  const result: ProbeResult = { total: opts.requests, outcomes: { '2xx': 0, '503': 0 }, byTaskSet: {}, byVersion: {}, byTargetGroup: {} };
  const action = firstRoutingAction(actions);
  if (!action?.forward) {
    // A fixed response (or no action) never reaches a target.
    const status = Number((action?.raw.FixedResponseConfig as { StatusCode?: string } | undefined)?.StatusCode ?? 404);
    if (status === 404) result.outcomes['404'] = opts.requests;
    else if (status >= 200 && status < 300) result.outcomes['2xx'] = opts.requests;
    else result.outcomes['503'] = opts.requests;
    return result;
  }

  const picker = new SmoothWeightedRoundRobin(action.forward.targetGroups);
  const healthy = new Map<string, ObservedTarget[]>();
  const cursor = new Map<string, number>();
  for (let i = 0; i < opts.requests; i++) {
    const groupArn = picker.next();
    if (!groupArn) {
      result.outcomes['503'] += 1;
      continue;
    }
    result.byTargetGroup[groupArn] = (result.byTargetGroup[groupArn] ?? 0) + 1;
    if (!healthy.has(groupArn)) {
      healthy.set(
        groupArn,
        observer.targetsIn(groupArn, now).filter((t) => t.health.state === 'healthy'),
      );
    }
    const targets = healthy.get(groupArn) ?? [];
    const n = cursor.get(groupArn) ?? 0;
    const target = targets[n % Math.max(1, targets.length)];
    cursor.set(groupArn, n + 1);
    if (!target) {
      result.outcomes['503'] += 1;
      continue;
    }
    result.outcomes['2xx'] += 1;
    if (target.task) {
      result.byTaskSet[target.task.taskSetId] = (result.byTaskSet[target.task.taskSetId] ?? 0) + 1;
      result.byVersion[target.task.taskDefinitionArn] = (result.byVersion[target.task.taskDefinitionArn] ?? 0) + 1;
    }
  }
  return result;
}

/** Authentication actions come first in order; the last action (forward/fixed-response/redirect) decides. */
function firstRoutingAction(actions: Action[]): Action | undefined {
  return [...actions].sort((a, b) => (a.order ?? 0) - (b.order ?? 0)).find((a) => a.type === 'forward' || a.type === 'fixed-response' || a.type === 'redirect');
}
