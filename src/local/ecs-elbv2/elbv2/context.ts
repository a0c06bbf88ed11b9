import type { ArnFactory } from '../ids.js';
import type { Observer } from '../observe.js';
import type { World } from '../state.js';
import type { QueryStruct } from '../wire/query-protocol.js';
import { elbErrors } from '../errors.js';
import type { Listener, LoadBalancer, Rule, TargetGroup } from '../state.js';

export interface ElbContext {
  world: World;
  arns: ArnFactory;
  observer: Observer;
  now: number;
}

export type ElbOperation = (ctx: ElbContext, params: QueryStruct) => Record<string, unknown>;

export function findLoadBalancer(ctx: ElbContext, arn: string): LoadBalancer {
  const lb = ctx.world.loadBalancers.get(arn);
  if (!lb) throw elbErrors.loadBalancerNotFound(arn);
  return lb;
}

export function findListener(ctx: ElbContext, arn: string): Listener {
  const listener = ctx.world.listeners.get(arn);
  if (!listener) throw elbErrors.listenerNotFound(arn);
  return listener;
}

export function findTargetGroup(ctx: ElbContext, arn: string): TargetGroup {
  const group = ctx.world.targetGroups.get(arn);
  if (!group) throw elbErrors.targetGroupNotFound(arn);
  return group;
}

/** A rule by ARN; a listener's default rule is a view over the listener's default actions. */
export function findRule(ctx: ElbContext, arn: string): { rule?: Rule; defaultOf?: Listener } {
  const rule = ctx.world.rules.get(arn);
  if (rule) return { rule };
  const listener = [...ctx.world.listeners.values()].find((l) => l.defaultRuleArn === arn);
  if (listener) return { defaultOf: listener };
  throw elbErrors.ruleNotFound(arn);
}

export function requireParam(value: string | undefined, name: string): string {
  if (!value) throw elbErrors.validation(`1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`);
  return value;
}
