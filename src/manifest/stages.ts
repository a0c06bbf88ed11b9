import * as z from 'zod/mini';
import type { PlannedStage } from '../domain/plan.js';
import { STAGE_KINDS, StageKind, UNSUPPORTED_PIPECD_STAGES, isStageKind } from '../domain/stage-kinds.js';
import { fieldPath } from './issues.js';
import { readObject, readValue, type ReadContext } from './read-object.js';
import { parseDuration, parsePercentage, show, type Parsed } from './values.js';

/** How long an ECS_RUN_TASK's task may run before the stage stops it and fails. */
export const DEFAULT_RUN_TASK_TIMEOUT_SECONDS = 30 * 60;
/** stepcd extension: how long an ECS stage may wait for its task set to become stable. */
export const DEFAULT_STABLE_TIMEOUT_SECONDS = 10 * 60;
export const DEFAULT_APPROVAL_TIMEOUT_SECONDS = 6 * 60 * 60;

const NOT_READ = z.unknown();
/** ANALYSIS watches at most this many alarms (one DescribeAlarms call). */
export const MAX_ANALYSIS_ALARMS = 100;
/** PipeCD ANALYSIS options (Prometheus/Datadog metrics, logs, HTTP probes, dynamic baselines) stepcd refuses. */
const PIPECD_ANALYSIS_OPTIONS = ['metrics', 'logs', 'https', 'dynamic'] as const;
const NON_EMPTY = z.minLength(1, 'must not be empty');
const ALARM_NAMES = z
  .array(z.string().check(NON_EMPTY, z.maxLength(255, 'must be at most 255 characters (a CloudWatch alarm name)')))
  .check(z.minLength(1, 'must name at least one CloudWatch alarm'), z.maxLength(MAX_ANALYSIS_ALARMS, `must name at most ${MAX_ANALYSIS_ALARMS} alarms`));
const STAGE_SHAPE = { id: z.string(), name: NOT_READ, desc: z.string(), timeout: NOT_READ, with: NOT_READ };
const STAGE_IGNORED = { skipOn: 'is a PipeCD feature stepcd ignores' };

/** The `with` options each stage accepts; values are parsed by `normalizeWith` for precise messages. */
const WITH_SHAPES: Record<StageKind, Record<string, z.core.$ZodType>> = {
  ECS_SYNC: { stableTimeout: NOT_READ },
  ECS_CANARY_ROLLOUT: { scale: NOT_READ, stableTimeout: NOT_READ },
  ECS_PRIMARY_ROLLOUT: { stableTimeout: NOT_READ },
  ECS_TRAFFIC_ROUTING: { primary: NOT_READ, canary: NOT_READ },
  ECS_CANARY_CLEAN: {},
  WAIT: { duration: NOT_READ },
  WAIT_APPROVAL: {
    approvers: z.array(z.string().check(NON_EMPTY)),
    minApproverNum: z.int('must be a whole number').check(z.gte(1, 'must be at least 1')),
    timeout: NOT_READ,
  },
  ECS_RUN_TASK: { timeout: NOT_READ, containerName: z.string().check(NON_EMPTY), command: z.array(z.string()).check(NON_EMPTY) },
  ANALYSIS: {
    duration: NOT_READ,
    alarms: NOT_READ,
    // PipeCD's analysis providers: known, so the error can say what to use instead of "unknown field".
    ...Object.fromEntries(PIPECD_ANALYSIS_OPTIONS.map((key) => [key, NOT_READ])),
  },
};
const WITH_IGNORED: Partial<Record<StageKind, Record<string, string>>> = {
  ECS_SYNC: { recreate: 'is a PipeCD feature stepcd ignores (it would scale the service to 0, causing downtime)' },
};

/** Stage kinds whose stage-level `timeout` bounds the wait (as `with.stableTimeout` / `with.timeout` do). */
const TIMEOUT_AWARE: readonly StageKind[] = [
  StageKind.ECS_SYNC,
  StageKind.ECS_CANARY_ROLLOUT,
  StageKind.ECS_PRIMARY_ROLLOUT,
  StageKind.WAIT_APPROVAL,
  StageKind.ECS_RUN_TASK,
];

/**
 * Normalizes `spec.pipeline.stages` to PlannedStage, reporting every bad stage. A bad stage is left
 * out of the result; the result is only used when there were no errors.
 */
export function readStages(ctx: ReadContext, raw: unknown, path: string): PlannedStage[] {
  if (!Array.isArray(raw)) {
    ctx.issues.error(ctx.check, ctx.file, path, raw === undefined || raw === null ? 'is required' : `must be a list (got ${show(raw)})`);
    return [];
  }
  if (raw.length === 0) {
    ctx.issues.error(ctx.check, ctx.file, path, 'must have at least one stage (remove spec.pipeline to use quick sync)');
  }
  const stages: PlannedStage[] = [];
  raw.forEach((item: unknown, index) => {
    const stage = readStage(ctx, item, fieldPath(path, index), index);
    if (stage) stages.push(stage);
  });
  return stages;
}

function readStage(ctx: ReadContext, raw: unknown, path: string, index: number): PlannedStage | undefined {
  const fields = readObject(ctx, raw, path, STAGE_SHAPE, STAGE_IGNORED);
  if (!fields) return undefined;
  const name = fields.name;
  if (typeof name !== 'string' || name === '') {
    const why = name === undefined ? 'is required' : `must be a stage name such as ECS_SYNC (got ${show(name)})`;
    ctx.issues.error(ctx.check, ctx.file, fieldPath(path, 'name'), why);
    return undefined;
  }
  if (!isStageKind(name)) {
    const why = UNSUPPORTED_PIPECD_STAGES.includes(name)
      ? `${show(name)} is a PipeCD stage stepcd does not support yet`
      : `${show(name)} is not a stage stepcd knows (known: ${STAGE_KINDS.join(', ')})`;
    ctx.issues.error(ctx.check, ctx.file, fieldPath(path, 'name'), why);
    return undefined;
  }
  let stageTimeout: number | undefined;
  if (fields.timeout !== undefined) {
    stageTimeout = positiveDuration(ctx, fields.timeout, fieldPath(path, 'timeout'));
    if (!TIMEOUT_AWARE.includes(name)) {
      const why = name === StageKind.ANALYSIS ? 'which runs for exactly with.duration' : 'which does not wait for anything';
      ctx.issues.warn(ctx.check, ctx.file, fieldPath(path, 'timeout'), `is ignored for ${name}, ${why}`);
    }
  }
  const withPath = fieldPath(path, 'with');
  const opts = readObject(ctx, fields.with, withPath, WITH_SHAPES[name], WITH_IGNORED[name]);
  if (!opts) return undefined;
  const w = normalizeWith(ctx, name, opts, withPath, stageTimeout);
  if (!w) return undefined;
  const desc = fields.desc ? { desc: fields.desc } : {};
  return { index, name, ...desc, with: w } as PlannedStage;
}

function normalizeWith(
  ctx: ReadContext,
  kind: StageKind,
  opts: Record<string, unknown>,
  path: string,
  stageTimeout: number | undefined,
): PlannedStage['with'] | undefined {
  const at = (key: string) => fieldPath(path, key);
  const stable = () =>
    opts.stableTimeout === undefined ? (stageTimeout ?? DEFAULT_STABLE_TIMEOUT_SECONDS) : positiveDuration(ctx, opts.stableTimeout, at('stableTimeout'));
  switch (kind) {
    case StageKind.ECS_SYNC:
    case StageKind.ECS_PRIMARY_ROLLOUT: {
      const stableTimeoutSeconds = stable();
      return stableTimeoutSeconds === undefined ? undefined : { stableTimeoutSeconds };
    }
    case StageKind.ECS_CANARY_ROLLOUT: {
      const scale = required(ctx, opts.scale, at('scale'), parsePercentage);
      if (scale === 0) {
        ctx.issues.error(ctx.check, ctx.file, at('scale'), 'must be greater than 0: a canary with no tasks cannot serve or be checked');
      }
      const stableTimeoutSeconds = stable();
      if (scale === undefined || scale === 0 || stableTimeoutSeconds === undefined) return undefined;
      return { scale, stableTimeoutSeconds };
    }
    case StageKind.ECS_TRAFFIC_ROUTING:
      return trafficWeights(ctx, opts, path);
    case StageKind.ECS_CANARY_CLEAN:
      return {};
    case StageKind.WAIT: {
      const durationSeconds = positiveDuration(ctx, opts.duration, at('duration'));
      return durationSeconds === undefined ? undefined : { durationSeconds };
    }
    case StageKind.WAIT_APPROVAL: {
      const approvers = (opts.approvers as string[] | undefined) ?? [];
      const minApproverNum = (opts.minApproverNum as number | undefined) ?? 1;
      if (!approvalCanPass(ctx, approvers, minApproverNum, path)) return undefined;
      const timeoutSeconds =
        opts.timeout === undefined ? (stageTimeout ?? DEFAULT_APPROVAL_TIMEOUT_SECONDS) : positiveDuration(ctx, opts.timeout, at('timeout'));
      return timeoutSeconds === undefined ? undefined : { approvers: [...new Set(approvers)], minApproverNum, timeoutSeconds };
    }
    case StageKind.ANALYSIS:
      return analysisOptions(ctx, opts, path);
    case StageKind.ECS_RUN_TASK: {
      const timeoutSeconds =
        opts.timeout === undefined ? (stageTimeout ?? DEFAULT_RUN_TASK_TIMEOUT_SECONDS) : positiveDuration(ctx, opts.timeout, at('timeout'));
      if (opts.command !== undefined && opts.containerName === undefined) {
        ctx.issues.error(ctx.check, ctx.file, at('containerName'), 'is required with command: it names the container whose command is replaced');
        return undefined;
      }
      if (timeoutSeconds === undefined) return undefined;
      return {
        timeoutSeconds,
        ...(opts.containerName !== undefined && { containerName: opts.containerName as string }),
        ...(opts.command !== undefined && { command: opts.command as string[] }),
      };
    }
  }
}

/**
 * An approval counts each person once, so a listed id twice is a typo that could make the stage
 * impossible, and more approvals than distinct approvers can never be collected.
 */
function approvalCanPass(ctx: ReadContext, approvers: string[], minApproverNum: number, path: string): boolean {
  let ok = true;
  const seen = new Set<string>();
  approvers.forEach((id, i) => {
    if (seen.has(id)) {
      ctx.issues.error(ctx.check, ctx.file, fieldPath(path, 'approvers', i), `${show(id)} is listed more than once; each approver counts once`);
      ok = false;
    }
    seen.add(id);
  });
  // `*` (anyone) and Slack user groups (S…) stand for more people than they count as entries.
  const countable = seen.size > 0 && !approvers.some((a) => a === '*' || /^S[A-Z0-9]+$/.test(a));
  if (countable && minApproverNum > seen.size) {
    ctx.issues.error(
      ctx.check,
      ctx.file,
      fieldPath(path, 'minApproverNum'),
      `is ${minApproverNum} but only ${seen.size} approver(s) are listed, so the approval could never pass`,
    );
    ok = false;
  }
  return ok;
}

/** `duration` and `alarms` are both required: an ANALYSIS that watches nothing would always pass. */
function analysisOptions(ctx: ReadContext, opts: Record<string, unknown>, path: string): { durationSeconds: number; alarms: string[] } | undefined {
  const unsupported = PIPECD_ANALYSIS_OPTIONS.filter((key) => opts[key] !== undefined);
  for (const key of unsupported) {
    ctx.issues.error(ctx.check, ctx.file, fieldPath(path, key), 'is not supported by stepcd; use with.alarms (CloudWatch alarm names)');
  }
  const durationSeconds = positiveDuration(ctx, opts.duration, fieldPath(path, 'duration'));
  const alarms = readAlarmNames(ctx, opts.alarms, fieldPath(path, 'alarms'));
  if (unsupported.length > 0 || durationSeconds === undefined || alarms === undefined) return undefined;
  return { durationSeconds, alarms: [...new Set(alarms)] };
}

function readAlarmNames(ctx: ReadContext, raw: unknown, path: string): string[] | undefined {
  if (raw === undefined || raw === null) {
    ctx.issues.error(ctx.check, ctx.file, path, 'is required: the CloudWatch alarm names to watch');
    return undefined;
  }
  const parsed = readValue(ctx, ALARM_NAMES, raw, path);
  return parsed.ok ? parsed.value : undefined;
}

/**
 * PipeCD's rule: `primary` wins when it is 1–100, otherwise `canary`, otherwise all traffic to primary.
 * Values out of range are errors here, where PipeCD silently ignored them.
 */
function trafficWeights(ctx: ReadContext, opts: Record<string, unknown>, path: string): { primary: number; canary: number } | undefined {
  const primary = opts.primary === undefined ? undefined : required(ctx, opts.primary, fieldPath(path, 'primary'), parsePercentage);
  const canary = opts.canary === undefined ? undefined : required(ctx, opts.canary, fieldPath(path, 'canary'), parsePercentage);
  if ((opts.primary !== undefined && primary === undefined) || (opts.canary !== undefined && canary === undefined)) return undefined;
  if (primary !== undefined && primary > 0) {
    if (canary !== undefined && canary !== 100 - primary) {
      ctx.issues.warn(ctx.check, ctx.file, fieldPath(path, 'canary'), `is ignored because primary is set (canary gets ${100 - primary})`);
    }
    return { primary, canary: 100 - primary };
  }
  if (canary !== undefined && canary > 0) return { primary: 100 - canary, canary };
  return { primary: 100, canary: 0 };
}

function required<T>(ctx: ReadContext, raw: unknown, path: string, parse: (raw: unknown) => Parsed<T>): T | undefined {
  if (raw === undefined || raw === null) {
    ctx.issues.error(ctx.check, ctx.file, path, 'is required');
    return undefined;
  }
  const parsed = parse(raw);
  if (!parsed.ok) {
    ctx.issues.error(ctx.check, ctx.file, path, parsed.reason);
    return undefined;
  }
  return parsed.value;
}

/** A duration that must be > 0: a zero timeout would fail the stage before it starts. */
export function positiveDuration(ctx: ReadContext, raw: unknown, path: string): number | undefined {
  const seconds = required(ctx, raw, path, parseDuration);
  if (seconds === 0) {
    ctx.issues.error(ctx.check, ctx.file, path, 'must be longer than 0s');
    return undefined;
  }
  return seconds;
}
