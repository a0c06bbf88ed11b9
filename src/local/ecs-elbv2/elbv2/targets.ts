import { qNumber, qString, qStructs, type QueryStruct } from '../wire/query-protocol.js';
import { findTargetGroup, requireParam, type ElbContext } from './context.js';

function targetsParam(p: QueryStruct, defaultPort: number | undefined): { id: string; port: number }[] {
  return (qStructs(p.Targets) ?? []).map((t) => ({
    id: requireParam(qString(t.Id), 'targets.member.id'),
    port: qNumber(t.Port, 'Port') ?? defaultPort ?? 80,
  }));
}

export function registerTargets(ctx: ElbContext, p: QueryStruct): Record<string, unknown> {
  const group = findTargetGroup(ctx, requireParam(qString(p.TargetGroupArn), 'targetGroupArn'));
  for (const target of targetsParam(p, group.port)) {
    // Registering a registered target is a no-op; a draining one comes back as new.
    const live = group.manualTargets.find((m) => m.id === target.id && m.port === target.port && m.deregisteredAt === undefined);
    if (!live) group.manualTargets.push({ ...target, registeredAt: ctx.now });
  }
  return {};
}

export function deregisterTargets(ctx: ElbContext, p: QueryStruct): Record<string, unknown> {
  const group = findTargetGroup(ctx, requireParam(qString(p.TargetGroupArn), 'targetGroupArn'));
  for (const target of targetsParam(p, group.port)) {
    for (const m of group.manualTargets) {
      if (m.id === target.id && m.port === target.port && m.deregisteredAt === undefined) m.deregisteredAt = ctx.now;
    }
  }
  return {};
}

export function describeTargetHealth(ctx: ElbContext, p: QueryStruct): Record<string, unknown> {
  const group = findTargetGroup(ctx, requireParam(qString(p.TargetGroupArn), 'targetGroupArn'));
  const observed = ctx.observer.targetsIn(group.arn, ctx.now);
  const asked = p.Targets === undefined ? undefined : targetsParam(p, group.port);
  const describe = (id: string, port: number) => {
    const found = observed.find((t) => t.id === id && t.port === port);
    const health = found?.health ?? { state: 'unused', reason: 'Target.NotRegistered', description: 'Target is not registered to the target group' };
    return {
      Target: { Id: id, Port: port },
      HealthCheckPort: String(port),
      TargetHealth: { State: health.state, Reason: health.reason, Description: health.description },
    };
  };
  const list = asked ?? observed.map((t) => ({ id: t.id, port: t.port }));
  return { TargetHealthDescriptions: list.map((t) => describe(t.id, t.port)) };
}
