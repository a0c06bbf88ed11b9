import { elbErrors } from '../errors.js';
import { hexOf } from '../ids.js';
import type { LoadBalancer, Tag } from '../state.js';
import { qString, qStrings, qStructs, type QueryStruct, type QueryValue } from '../wire/query-protocol.js';
import { findLoadBalancer, requireParam, type ElbContext } from './context.js';

export function tagsFrom(list: QueryValue | undefined): Tag[] {
  return (qStructs(list) ?? []).map((t) => ({ key: qString(t.Key) ?? '', value: qString(t.Value) ?? '' }));
}

export function createLoadBalancer(ctx: ElbContext, p: QueryStruct): Record<string, unknown> {
  const name = requireParam(qString(p.Name), 'name');
  if (!/^[A-Za-z0-9-]{1,32}$/.test(name) || name.startsWith('-') || name.endsWith('-')) {
    throw elbErrors.validation(`Load balancer name '${name}' is not valid`);
  }
  const arn = ctx.arns.loadBalancer(name);
  // Same name again returns the existing load balancer, as ELBv2 does for identical settings.
  let lb = ctx.world.loadBalancers.get(arn);
  if (!lb) {
    const id = hexOf(name);
    lb = {
      name,
      arn,
      id,
      dnsName: `${name}-${parseInt(id.slice(0, 8), 16)}.${ctx.arns.region}.elb.amazonaws.com`,
      scheme: qString(p.Scheme) ?? 'internet-facing',
      type: qString(p.Type) ?? 'application',
      vpcId: 'vpc-local',
      subnets: qStrings(p.Subnets) ?? [],
      securityGroups: qStrings(p.SecurityGroups) ?? [],
      ipAddressType: qString(p.IpAddressType) ?? 'ipv4',
      createdAt: ctx.now,
      tags: tagsFrom(p.Tags),
    };
    ctx.world.loadBalancers.set(arn, lb);
  }
  return { LoadBalancers: [loadBalancerView(lb)] };
}

export function describeLoadBalancers(ctx: ElbContext, p: QueryStruct): Record<string, unknown> {
  const arns = qStrings(p.LoadBalancerArns);
  const names = qStrings(p.Names);
  let lbs = [...ctx.world.loadBalancers.values()];
  if (arns && arns.length > 0) lbs = arns.map((arn) => findLoadBalancer(ctx, arn));
  if (names && names.length > 0) {
    lbs = names.map((name) => {
      const lb = ctx.world.loadBalancers.get(ctx.arns.loadBalancer(name));
      if (!lb) throw elbErrors.duplicate('LoadBalancerNotFound', `Load balancers '[${name}]' not found`);
      return lb;
    });
  }
  return { LoadBalancers: lbs.map(loadBalancerView) };
}

export function deleteLoadBalancer(ctx: ElbContext, p: QueryStruct): Record<string, unknown> {
  const arn = requireParam(qString(p.LoadBalancerArn), 'loadBalancerArn');
  // Deleting a missing load balancer succeeds, and takes its listeners and rules with it.
  ctx.world.loadBalancers.delete(arn);
  for (const listener of [...ctx.world.listeners.values()]) {
    if (listener.loadBalancerArn !== arn) continue;
    ctx.world.listeners.delete(listener.arn);
    for (const rule of [...ctx.world.rules.values()]) if (rule.listenerArn === listener.arn) ctx.world.rules.delete(rule.arn);
  }
  return {};
}

function loadBalancerView(lb: LoadBalancer): Record<string, unknown> {
  return {
    LoadBalancerArn: lb.arn,
    DNSName: lb.dnsName,
    CanonicalHostedZoneId: 'Z35SXDOTRQ7X7K',
    CreatedTime: new Date(lb.createdAt),
    LoadBalancerName: lb.name,
    Scheme: lb.scheme,
    VpcId: lb.vpcId,
    State: { Code: 'active' },
    Type: lb.type,
    AvailabilityZones: lb.subnets.map((subnet, i) => ({ ZoneName: `us-east-1${'abcdef'[i % 6]}`, SubnetId: subnet })),
    SecurityGroups: lb.securityGroups,
    IpAddressType: lb.ipAddressType,
  };
}
