import {
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  ModifyListenerCommand,
  ModifyRuleCommand,
  type Action,
  type Listener,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { InvalidStateError, wrapAwsError } from '../errors.js';
import type { AwsClientConfig } from './client-config.js';
import type { ElbPort, ForwardRule, TargetHealth, TargetState, TrafficWeights } from '../stages/ports.js';

/** ElbPort over @aws-sdk/client-elastic-load-balancing-v2. It only translates shapes and classifies errors. */
export function createElbAdapter(config: AwsClientConfig | ElasticLoadBalancingV2Client): ElbPort {
  const client = config instanceof ElasticLoadBalancingV2Client ? config : new ElasticLoadBalancingV2Client(config);
  const call = async <T>(doing: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw wrapAwsError(doing, err);
    }
  };

  async function listeners(loadBalancerArn: string): Promise<Listener[]> {
    const all: Listener[] = [];
    let marker: string | undefined;
    do {
      const page = await client.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn, Marker: marker }));
      all.push(...(page.Listeners ?? []));
      marker = page.NextMarker;
    } while (marker);
    return all;
  }

  async function rules(listenerArn: string): Promise<Rule[]> {
    const all: Rule[] = [];
    let marker: string | undefined;
    do {
      const page = await client.send(new DescribeRulesCommand({ ListenerArn: listenerArn, Marker: marker }));
      all.push(...(page.Rules ?? []));
      marker = page.NextMarker;
    } while (marker);
    return all;
  }

  /** The rule as it is now, so a rewrite replaces its action list with the same list, weights aside. */
  async function currentActions(rule: ForwardRule): Promise<Action[]> {
    if (rule.isDefault) {
      const out = await client.send(new DescribeListenersCommand({ ListenerArns: [rule.listenerArn] }));
      return out.Listeners?.[0]?.DefaultActions ?? [];
    }
    const out = await client.send(new DescribeRulesCommand({ RuleArns: [rule.ruleArn] }));
    return out.Rules?.[0]?.Actions ?? [];
  }

  return {
    findForwardRules: (primaryTg, canaryTg) =>
      call(`finding listener rules forwarding to ${primaryTg} and ${canaryTg}`, async () => {
        const out = await client.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [primaryTg] }));
        const loadBalancerArns = out.TargetGroups?.[0]?.LoadBalancerArns ?? [];
        const found: ForwardRule[] = [];
        for (const lb of loadBalancerArns) {
          for (const listener of await listeners(lb)) {
            if (!listener.ListenerArn) continue;
            for (const rule of await rules(listener.ListenerArn)) {
              const match = toForwardRule(listener.ListenerArn, rule, primaryTg, canaryTg);
              if (match) found.push(match);
            }
          }
        }
        return found;
      }),

    setRuleWeights: (rule, groups, weights) =>
      call(`setting weights on ${rule.ruleArn}`, async () => {
        const actions = withWeights(await currentActions(rule), groups, weights);
        if (!actions) throw new InvalidStateError(`rule ${rule.ruleArn} no longer forwards to exactly {${groups.primary}, ${groups.canary}}`);
        if (rule.isDefault) {
          await client.send(new ModifyListenerCommand({ ListenerArn: rule.listenerArn, DefaultActions: actions }));
        } else {
          await client.send(new ModifyRuleCommand({ RuleArn: rule.ruleArn, Actions: actions }));
        }
      }),

    restoreRule: async (rule) => {
      const actions = rule.actions as Action[];
      try {
        if (rule.isDefault) await client.send(new ModifyListenerCommand({ ListenerArn: rule.listenerArn, DefaultActions: actions }));
        else await client.send(new ModifyRuleCommand({ RuleArn: rule.ruleArn, Actions: actions }));
        return true;
      } catch (err) {
        // Deleted since the snapshot: nothing of it to restore (rollback's own reads see the rest).
        if (GONE.has((err as { name?: string }).name ?? '')) return false;
        throw wrapAwsError(`restoring the actions of ${rule.ruleArn}`, err);
      }
    },

    targetHealth: (targetGroupArn) =>
      call(`reading target health of ${targetGroupArn}`, async () => {
        const out = await client.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }));
        return (out.TargetHealthDescriptions ?? []).map(
          (d): TargetHealth => ({
            id: d.Target?.Id ?? '',
            ...(d.Target?.Port !== undefined ? { port: d.Target.Port } : {}),
            state: (d.TargetHealth?.State ?? 'unavailable') as TargetState,
            ...(d.TargetHealth?.Reason ? { reason: d.TargetHealth.Reason } : {}),
          }),
        );
      }),
  };
}

const GONE = new Set(['RuleNotFoundException', 'RuleNotFound', 'ListenerNotFoundException', 'ListenerNotFound']);

function isPair(action: Action, primaryTg: string, canaryTg: string): boolean {
  const groups = action.ForwardConfig?.TargetGroups ?? [];
  if (action.Type !== 'forward' || groups.length !== 2) return false;
  const arns = new Set(groups.map((g) => g.TargetGroupArn));
  return arns.has(primaryTg) && arns.has(canaryTg);
}

function toForwardRule(listenerArn: string, rule: Rule, primaryTg: string, canaryTg: string): ForwardRule | undefined {
  const action = (rule.Actions ?? []).find((a) => isPair(a, primaryTg, canaryTg));
  if (!action || !rule.RuleArn) return undefined;
  const weightOf = (tg: string) => action.ForwardConfig?.TargetGroups?.find((g) => g.TargetGroupArn === tg)?.Weight ?? 0;
  const stickiness = action.ForwardConfig?.TargetGroupStickinessConfig;
  return {
    ruleArn: rule.RuleArn,
    listenerArn,
    isDefault: rule.IsDefault === true,
    weights: { primary: weightOf(primaryTg), canary: weightOf(canaryTg) },
    actions: rule.Actions ?? [],
    ...(stickiness?.Enabled !== undefined
      ? { stickiness: { enabled: stickiness.Enabled, ...(stickiness.DurationSeconds !== undefined ? { durationSeconds: stickiness.DurationSeconds } : {}) } }
      : {}),
  };
}

/**
 * The same action list with new weights on the pair's forward action. ModifyRule replaces the whole
 * list, so everything else (other actions, Order, TargetGroupStickinessConfig) is sent back as read;
 * PipeCD dropped the stickiness config here.
 */
export function withWeights(actions: Action[], groups: { primary: string; canary: string }, weights: TrafficWeights): Action[] | undefined {
  let touched = false;
  const next = actions.map((action): Action => {
    if (!isPair(action, groups.primary, groups.canary)) return action;
    touched = true;
    const { TargetGroupArn: _single, ...rest } = action;
    return {
      ...rest,
      ForwardConfig: {
        ...action.ForwardConfig,
        TargetGroups: [
          { TargetGroupArn: groups.primary, Weight: weights.primary },
          { TargetGroupArn: groups.canary, Weight: weights.canary },
        ],
      },
    };
  });
  return touched ? next : undefined;
}
