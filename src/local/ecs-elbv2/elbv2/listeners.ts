import { elbErrors } from '../errors.js';
import { hexOf } from '../ids.js';
import type { Listener, Rule } from '../state.js';
import { qNumber, qString, qStrings, type QueryStruct } from '../wire/query-protocol.js';
import { actionView, conditionView, parseActions, parseConditions } from './actions.js';
import { findListener, findLoadBalancer, findRule, requireParam, type ElbContext } from './context.js';

const MAX_RULE_PRIORITY = 50_000;

export function createListener(ctx: ElbContext, p: QueryStruct): Record<string, unknown> {
  const lb = findLoadBalancer(ctx, requireParam(qString(p.LoadBalancerArn), 'loadBalancerArn'));
  const port = qNumber(p.Port, 'Port') ?? 80;
  const protocol = qString(p.Protocol) ?? 'HTTP';
  const defaultActions = parseActions(ctx, p.DefaultActions, 'defaultActions');
  if ([...ctx.world.listeners.values()].some((l) => l.loadBalancerArn === lb.arn && l.port === port)) {
    throw elbErrors.duplicate('DuplicateListener', 'A listener already exists on this port for this load balancer');
  }
  const id = hexOf(`listener:${lb.arn}:${port}`);
  const arn = ctx.arns.listener(lb.name, lb.id, id);
  const listener: Listener = {
    arn,
    id,
    loadBalancerArn: lb.arn,
    port,
    protocol,
    defaultActions,
    defaultRuleArn: ctx.arns.rule(lb.name, lb.id, id, hexOf(`default-rule:${arn}`)),
  };
  ctx.world.listeners.set(arn, listener);
  return { Listeners: [listenerView(listener)] };
}

export function describeListeners(ctx: ElbContext, p: QueryStruct): Record<string, unknown> {
  const lbArn = qString(p.LoadBalancerArn);
  const arns = qStrings(p.ListenerArns);
  if (!lbArn && (!arns || arns.length === 0)) throw elbErrors.validation('You must specify either listener ARNs or a load balancer ARN');
  const listeners =
    arns && arns.length > 0
      ? arns.map((arn) => findListener(ctx, arn))
      : [...ctx.world.listeners.values()].filter((l) => l.loadBalancerArn === findLoadBalancer(ctx, lbArn as string).arn);
  return { Listeners: listeners.map(listenerView) };
}

/** Properties not sent stay as they are; a sent DefaultActions list replaces the whole list. */
export function modifyListener(ctx: ElbContext, p: QueryStruct): Record<string, unknown> {
  const listener = findListener(ctx, requireParam(qString(p.ListenerArn), 'listenerArn'));
  const port = qNumber(p.Port, 'Port');
  const protocol = qString(p.Protocol);
  const defaultActions = p.DefaultActions === undefined ? undefined : parseActions(ctx, p.DefaultActions, 'defaultActions');
  if (port !== undefined) listener.port = port;
  if (protocol !== undefined) listener.protocol = protocol;
  if (defaultActions) listener.defaultActions = defaultActions;
  return { Listeners: [listenerView(listener)] };
}

export function deleteListener(ctx: ElbContext, p: QueryStruct): Record<string, unknown> {
  const listener = findListener(ctx, requireParam(qString(p.ListenerArn), 'listenerArn'));
  ctx.world.listeners.delete(listener.arn);
  for (const rule of [...ctx.world.rules.values()]) if (rule.listenerArn === listener.arn) ctx.world.rules.delete(rule.arn);
  return {};
}

export function createRule(ctx: ElbContext, p: QueryStruct): Record<string, unknown> {
  const listener = findListener(ctx, requireParam(qString(p.ListenerArn), 'listenerArn'));
  const priority = qNumber(p.Priority, 'Priority');
  if (priority === undefined || !Number.isInteger(priority) || priority < 1 || priority > MAX_RULE_PRIORITY) {
    throw elbErrors.validation(`Priority must be an integer between 1 and ${MAX_RULE_PRIORITY}`);
  }
  if (rulesOf(ctx, listener).some((r) => r.priority === priority)) throw elbErrors.priorityInUse(priority);
  const conditions = parseConditions(p.Conditions);
  if (conditions.length === 0) throw elbErrors.validation('A rule must have at least one condition');
  const actions = parseActions(ctx, p.Actions, 'actions');
  const lb = findLoadBalancer(ctx, listener.loadBalancerArn);
  const arn = ctx.arns.rule(lb.name, lb.id, listener.id, hexOf(`rule:${listener.arn}:${++ctx.world.seq}`));
  const rule: Rule = { arn, listenerArn: listener.arn, priority, conditions, actions };
  ctx.world.rules.set(arn, rule);
  return { Rules: [ruleView(rule)] };
}

export function describeRules(ctx: ElbContext, p: QueryStruct): Record<string, unknown> {
  const listenerArn = qString(p.ListenerArn);
  const ruleArns = qStrings(p.RuleArns);
  if (listenerArn && ruleArns && ruleArns.length > 0) {
    throw elbErrors.validation('Listener ARN and rule ARNs cannot be specified at the same time');
  }
  if (ruleArns && ruleArns.length > 0) {
    return {
      Rules: ruleArns.map((arn) => {
        const found = findRule(ctx, arn);
        return found.rule ? ruleView(found.rule) : defaultRuleView(found.defaultOf as Listener);
      }),
    };
  }
  const listener = findListener(ctx, requireParam(listenerArn, 'listenerArn'));
  const rules = rulesOf(ctx, listener).sort((a, b) => a.priority - b.priority);
  return { Rules: [...rules.map(ruleView), defaultRuleView(listener)] };
}

/** Unsent properties stay; a sent list replaces. The default rule takes actions but not conditions. */
export function modifyRule(ctx: ElbContext, p: QueryStruct): Record<string, unknown> {
  const found = findRule(ctx, requireParam(qString(p.RuleArn), 'ruleArn'));
  const actions = p.Actions === undefined ? undefined : parseActions(ctx, p.Actions, 'actions');
  if (found.defaultOf) {
    if (p.Conditions !== undefined) throw elbErrors.notPermitted('The conditions of a default rule cannot be modified');
    if (actions) found.defaultOf.defaultActions = actions;
    return { Rules: [defaultRuleView(found.defaultOf)] };
  }
  const rule = found.rule as Rule;
  if (p.Conditions !== undefined) {
    const conditions = parseConditions(p.Conditions);
    if (conditions.length === 0) throw elbErrors.validation('A rule must have at least one condition');
    rule.conditions = conditions;
  }
  if (actions) rule.actions = actions;
  return { Rules: [ruleView(rule)] };
}

export function deleteRule(ctx: ElbContext, p: QueryStruct): Record<string, unknown> {
  const found = findRule(ctx, requireParam(qString(p.RuleArn), 'ruleArn'));
  if (found.defaultOf) throw elbErrors.notPermitted('A default rule cannot be deleted');
  ctx.world.rules.delete((found.rule as Rule).arn);
  return {};
}

function rulesOf(ctx: ElbContext, listener: Listener): Rule[] {
  return [...ctx.world.rules.values()].filter((r) => r.listenerArn === listener.arn);
}

function listenerView(listener: Listener): Record<string, unknown> {
  return {
    ListenerArn: listener.arn,
    LoadBalancerArn: listener.loadBalancerArn,
    Port: listener.port,
    Protocol: listener.protocol,
    DefaultActions: listener.defaultActions.map(actionView),
  };
}

function ruleView(rule: Rule): Record<string, unknown> {
  return {
    RuleArn: rule.arn,
    Priority: String(rule.priority),
    Conditions: rule.conditions.map(conditionView),
    Actions: rule.actions.map(actionView),
    IsDefault: false,
  };
}

function defaultRuleView(listener: Listener): Record<string, unknown> {
  return {
    RuleArn: listener.defaultRuleArn,
    Priority: 'default',
    Conditions: [],
    Actions: listener.defaultActions.map(actionView),
    IsDefault: true,
  };
}
