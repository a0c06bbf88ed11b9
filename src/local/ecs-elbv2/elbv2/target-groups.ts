import { elbErrors } from '../errors.js';
import type { Action, TargetGroup } from '../state.js';
import { qNumber, qString, qStrings, qStruct, type QueryStruct } from '../wire/query-protocol.js';
import { findLoadBalancer, findTargetGroup, requireParam, type ElbContext } from './context.js';
import { tagsFrom } from './load-balancers.js';

const HEALTH_CHECK_FIELDS = [
  'HealthCheckProtocol',
  'HealthCheckPort',
  'HealthCheckEnabled',
  'HealthCheckPath',
  'HealthCheckIntervalSeconds',
  'HealthCheckTimeoutSeconds',
  'HealthyThresholdCount',
  'UnhealthyThresholdCount',
] as const;

export function createTargetGroup(ctx: ElbContext, p: QueryStruct): Record<string, unknown> {
  const name = requireParam(qString(p.Name), 'name');
  if (!/^[A-Za-z0-9-]{1,32}$/.test(name)) throw elbErrors.validation(`Target group name '${name}' is not valid`);
  const arn = ctx.arns.targetGroup(name);
  const protocol = qString(p.Protocol);
  const port = qNumber(p.Port, 'Port');
  const existing = ctx.world.targetGroups.get(arn);
  if (existing) {
    if (existing.protocol !== protocol || existing.port !== port) {
      throw elbErrors.duplicate('DuplicateTargetGroupName', 'A target group with the same name exists, but with different settings');
    }
    return { TargetGroups: [targetGroupView(ctx, existing)] };
  }
  const healthCheck: TargetGroup['healthCheck'] = {
    HealthCheckProtocol: protocol ?? 'HTTP',
    HealthCheckPort: 'traffic-port',
    HealthCheckEnabled: true,
    HealthCheckPath: '/',
    HealthCheckIntervalSeconds: 30,
    HealthCheckTimeoutSeconds: 5,
    HealthyThresholdCount: 5,
    UnhealthyThresholdCount: 2,
  };
  for (const field of HEALTH_CHECK_FIELDS) {
    const value = qString(p[field]);
    if (value !== undefined) healthCheck[field] = /^\d+$/.test(value) ? Number(value) : value;
  }
  const group: TargetGroup = {
    name,
    arn,
    protocol,
    port,
    vpcId: qString(p.VpcId),
    targetType: qString(p.TargetType) ?? 'instance',
    healthCheck,
    matcher: { HttpCode: qString(qStruct(p.Matcher)?.HttpCode) ?? '200' },
    tags: tagsFrom(p.Tags),
    manualTargets: [],
  };
  ctx.world.targetGroups.set(arn, group);
  return { TargetGroups: [targetGroupView(ctx, group)] };
}

export function describeTargetGroups(ctx: ElbContext, p: QueryStruct): Record<string, unknown> {
  const lbArn = qString(p.LoadBalancerArn);
  const arns = qStrings(p.TargetGroupArns);
  const names = qStrings(p.Names);
  let groups = [...ctx.world.targetGroups.values()];
  if (lbArn) {
    findLoadBalancer(ctx, lbArn);
    groups = groups.filter((g) => loadBalancersUsing(ctx, g.arn).includes(lbArn));
  }
  if (arns && arns.length > 0) groups = arns.map((arn) => findTargetGroup(ctx, arn));
  if (names && names.length > 0) groups = names.map((name) => findTargetGroup(ctx, ctx.arns.targetGroup(name)));
  return { TargetGroups: groups.map((g) => targetGroupView(ctx, g)) };
}

export function deleteTargetGroup(ctx: ElbContext, p: QueryStruct): Record<string, unknown> {
  const arn = requireParam(qString(p.TargetGroupArn), 'targetGroupArn');
  if (loadBalancersUsing(ctx, arn).length > 0) {
    throw elbErrors.duplicate('ResourceInUse', `Target group '${arn}' is currently in use by a listener or a rule`);
  }
  ctx.world.targetGroups.delete(arn);
  return {};
}

/** Load balancers with a listener or rule that forwards to the group (the association ELBv2 reports). */
export function loadBalancersUsing(ctx: ElbContext, targetGroupArn: string): string[] {
  const forwards = (actions: Action[]) => actions.some((a) => a.forward?.targetGroups.some((t) => t.targetGroupArn === targetGroupArn));
  const lbs = new Set<string>();
  for (const listener of ctx.world.listeners.values()) {
    const rules = [...ctx.world.rules.values()].filter((r) => r.listenerArn === listener.arn);
    if (forwards(listener.defaultActions) || rules.some((r) => forwards(r.actions))) lbs.add(listener.loadBalancerArn);
  }
  return [...lbs];
}

function targetGroupView(ctx: ElbContext, group: TargetGroup): Record<string, unknown> {
  return {
    TargetGroupArn: group.arn,
    TargetGroupName: group.name,
    Protocol: group.protocol,
    Port: group.port,
    VpcId: group.vpcId,
    ...group.healthCheck,
    Matcher: group.matcher,
    LoadBalancerArns: loadBalancersUsing(ctx, group.arn),
    TargetType: group.targetType,
    ProtocolVersion: group.protocol?.startsWith('HTTP') ? 'HTTP1' : undefined,
    IpAddressType: 'ipv4',
  };
}
