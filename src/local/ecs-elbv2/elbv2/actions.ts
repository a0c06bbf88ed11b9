import { elbErrors } from '../errors.js';
import type { Action, Condition } from '../state.js';
import { qBool, qList, qNumber, qString, qStrings, qStruct, qStructs, type QueryStruct, type QueryValue } from '../wire/query-protocol.js';
import { findTargetGroup, type ElbContext } from './context.js';

const MAX_TARGET_GROUPS_PER_FORWARD = 5;
const MAX_WEIGHT = 999;
const MAX_STICKINESS_SECONDS = 604_800;

/** Parses and validates a listener's or rule's action list as ELBv2 does. */
export function parseActions(ctx: ElbContext, list: QueryValue | undefined, field: string): Action[] {
  const actions = qStructs(list) ?? [];
  if (actions.length === 0) throw elbErrors.validation(`${field} must contain at least one action`);
  return actions.map((a, i) => parseAction(ctx, a, `${field}.member.${i + 1}`));
}

function parseAction(ctx: ElbContext, a: QueryStruct, field: string): Action {
  const type = qString(a.Type);
  if (!type) throw elbErrors.validation(`${field}.type must not be null`);
  const order = qNumber(a.Order, `${field}.order`);
  const raw = plain(a) as Record<string, unknown>;
  if (type !== 'forward') return { type, order, raw };

  const single = qString(a.TargetGroupArn);
  const config = qStruct(a.ForwardConfig);
  const tuples = (qStructs(config?.TargetGroups) ?? []).map((t, i) => {
    const arn = qString(t.TargetGroupArn);
    if (!arn) throw elbErrors.validation(`${field}.forwardConfig.targetGroups.${i + 1}.targetGroupArn must not be null`);
    const weight = qNumber(t.Weight, 'Weight') ?? 1;
    if (!Number.isInteger(weight) || weight < 0 || weight > MAX_WEIGHT) {
      throw elbErrors.validation(
        `1 validation error detected: Value '${weight}' at '${field}.forwardConfig.targetGroups.${i + 1}.member.weight' failed to satisfy constraint: Member must have value between 0 and ${MAX_WEIGHT}`,
      );
    }
    return { targetGroupArn: arn, weight };
  });
  if (!single && tuples.length === 0) throw elbErrors.validation('A target group ARN must be specified for a forward action');
  if (single && tuples.length > 0 && !(tuples.length === 1 && tuples[0]?.targetGroupArn === single)) {
    throw elbErrors.invalidAction('You cannot specify a target group ARN both in the action and in its forward config unless they match');
  }
  if (tuples.length > MAX_TARGET_GROUPS_PER_FORWARD) {
    throw elbErrors.validation(`A forward action can have at most ${MAX_TARGET_GROUPS_PER_FORWARD} target groups`);
  }
  const targetGroups = tuples.length > 0 ? tuples : [{ targetGroupArn: single as string, weight: 1 }];
  if (new Set(targetGroups.map((t) => t.targetGroupArn)).size !== targetGroups.length) {
    throw elbErrors.validation('A target group can be specified only once in a forward action');
  }
  for (const t of targetGroups) findTargetGroup(ctx, t.targetGroupArn);

  const stickinessIn = qStruct(config?.TargetGroupStickinessConfig);
  let stickiness: { enabled: boolean; durationSeconds?: number } | undefined;
  if (stickinessIn) {
    const enabled = qBool(stickinessIn.Enabled) ?? false;
    const durationSeconds = qNumber(stickinessIn.DurationSeconds, 'DurationSeconds');
    if (enabled && (durationSeconds === undefined || durationSeconds < 1 || durationSeconds > MAX_STICKINESS_SECONDS)) {
      throw elbErrors.validation(`Stickiness duration must be between 1 and ${MAX_STICKINESS_SECONDS} seconds`);
    }
    stickiness = { enabled, durationSeconds };
  }
  return { type, order, forward: { targetGroups, stickiness }, raw: {} };
}

/**
 * The API shape of an action. A forward is always described with its ForwardConfig, and a
 * single-target-group forward also as TargetGroupArn (weight 1), as the real service does.
 */
export function actionView(action: Action): Record<string, unknown> {
  if (!action.forward) return { ...action.raw, Type: action.type, Order: action.order };
  const groups = action.forward.targetGroups;
  return {
    Type: action.type,
    TargetGroupArn: groups.length === 1 ? groups[0]?.targetGroupArn : undefined,
    Order: action.order,
    ForwardConfig: {
      TargetGroups: groups.map((g) => ({ TargetGroupArn: g.targetGroupArn, Weight: g.weight })),
      TargetGroupStickinessConfig: {
        Enabled: action.forward.stickiness?.enabled ?? false,
        DurationSeconds: action.forward.stickiness?.enabled ? action.forward.stickiness.durationSeconds : undefined,
      },
    },
  };
}

export function parseConditions(list: QueryValue | undefined): Condition[] {
  return (qStructs(list) ?? []).map((c) => {
    const { Field, Values, ...configs } = c;
    return { field: qString(Field), values: qStrings(Values) ?? [], configs: plain(configs) as Record<string, unknown> };
  });
}

export function conditionView(condition: Condition): Record<string, unknown> {
  return { Field: condition.field, Values: condition.values, ...condition.configs };
}

/** Converts a decoded query tree into plain JSON-ish values (lists stay lists, leaves stay strings). */
function plain(value: QueryValue): unknown {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return (qList(value) ?? []).map(plain);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
}
