import * as z from 'zod/mini';
import type { Mention, PlannedStage, StandaloneTarget, TargetGroupRef } from '../domain/plan.js';
import { fieldPath } from './issues.js';
import { isMapping, readObject, readValue, type ReadContext } from './read-object.js';
import { positiveDuration, readStages } from './stages.js';
import { show } from './values.js';
import type { RE2JS } from 're2js';
import { compileTagPattern, type ImagePolicy } from './image-policy.js';
import { MAX_PATTERN_LENGTH, MAX_TRIGGER_PATTERNS } from './limits.js';
import { patternProblem } from './trigger-pattern.js';

export const API_VERSION = 'pipecd.dev/v1beta1';
export const KIND = 'ECSApp';
export const DEFAULT_TASK_DEFINITION_FILE = 'taskdef.json';
export const DEFAULT_TIMEOUT_SECONDS = 6 * 60 * 60;
export const DEFAULT_POLL_INTERVAL_SECONDS = 15;

/** What app.pipecd.yaml says, with defaults filled; fields that failed validation are left at defaults. */
export interface AppConfig {
  name?: string;
  labels: Record<string, string>;
  description?: string;
  serviceDefinitionFile?: string;
  taskDefinitionFile: string;
  targetGroups: { primary?: TargetGroupRef; canary?: TargetGroupRef };
  /** Which target groups the file names at all, valid or not: cross-checks must not call a broken one missing. */
  declaredTargetGroups: { primary: boolean; canary: boolean };
  accessType: 'ELB' | 'SERVICE_DISCOVERY';
  /** No service definition: a PipeCD standalone task, run once per deployment. */
  isStandalone: boolean;
  /** Where that task runs (spec.input.clusterArn, ...); unset when those fields are invalid. */
  standalone?: StandaloneTarget;
  autoRollback: boolean;
  alwaysUsePipeline: boolean;
  trigger: { paths: string[]; ignores: string[] };
  hasPipeline: boolean;
  stages: PlannedStage[];
  timeoutSeconds: number;
  mentions: Mention[];
  slackChannel?: string;
  allowMutableTags: boolean;
  imagePolicy: ImagePolicy;
  /** imagePolicy.tagPattern, compiled (RE2) once it is known to be valid. */
  tagPattern?: RE2JS;
  pollIntervalSeconds: number;
  /** spec.stepcd.stabilityBackstop: the longest a stability wait sleeps on ECS events without a check. */
  stabilityBackstopSeconds?: number;
  /** spec.encryption and spec.attachment as written; see encryption.ts. */
  encryption?: unknown;
  attachment?: unknown;
}

const IGNORED = 'is a PipeCD feature stepcd ignores';

const strings = z.array(z.string());
const nonEmpty = z.string().check(z.minLength(1, 'must not be empty'));
const bool = z.boolean();
const ANY = z.unknown();
const APP_NAME = z
  .string()
  .check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'must be 1–100 letters, digits, ".", "_" or "-", starting with a letter or digit'));
const TG_ARN = z
  .string()
  .check(
    z.regex(
      /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[^/]+\/[0-9a-f]+$/,
      'must be a target group ARN (arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>)',
    ),
  );
const PORT = z.int('must be a whole number').check(z.gte(1, 'must be a port 1–65535'), z.lte(65535, 'must be a port 1–65535'));

/**
 * Reads a parsed app.pipecd.yaml. Returns undefined only when the file is not an ECSApp at all (then
 * nothing else would make sense); otherwise returns what it could read and reports the rest.
 */
export function readAppConfig(ctx: ReadContext, raw: unknown): AppConfig | undefined {
  if (!isMapping(raw)) {
    ctx.issues.error(ctx.check, ctx.file, '', `must hold a mapping with apiVersion, kind and spec (got ${show(raw)})`);
    return undefined;
  }
  const top = readObject(ctx, raw, '', { apiVersion: ANY, kind: ANY, spec: ANY });
  if (top?.kind !== KIND) {
    const why = top?.kind === undefined ? 'is required' : `must be ${KIND} (got ${show(top.kind)}): stepcd deploys ECS apps only`;
    ctx.issues.error(ctx.check, ctx.file, 'kind', why);
    return undefined;
  }
  if (top.apiVersion !== API_VERSION) {
    const why = top.apiVersion === undefined ? 'is required' : `must be ${API_VERSION} (got ${show(top.apiVersion)})`;
    ctx.issues.error(ctx.check, ctx.file, 'apiVersion', why);
  }
  if (top.spec === undefined) {
    ctx.issues.error(ctx.check, ctx.file, 'spec', 'is required');
    return undefined;
  }
  return readSpec(ctx, top.spec);
}

function readSpec(ctx: ReadContext, raw: unknown): AppConfig | undefined {
  const spec = readObject(
    ctx,
    raw,
    'spec',
    {
      name: APP_NAME,
      labels: z.record(z.string(), z.string()),
      description: z.string(),
      input: ANY,
      planner: ANY,
      trigger: ANY,
      pipeline: ANY,
      timeout: ANY,
      notification: ANY,
      stepcd: ANY,
      encryption: ANY,
      attachment: ANY,
    },
    Object.fromEntries(
      ['eventWatcher', 'driftDetection', 'postSync', 'variantLabel', 'quickSync', 'deploymentNotification', 'commitMatcher'].map((k) => [k, IGNORED]),
    ),
  );
  if (!spec) return undefined;
  if (isMapping(raw) && !('name' in raw)) {
    ctx.issues.error(ctx.check, ctx.file, 'spec.name', 'is required');
  }

  const input = readInput(ctx, spec.input);
  const planner = readObject(ctx, spec.planner, 'spec.planner', { alwaysUsePipeline: bool, autoRollback: bool }) ?? {};
  const stepcd = readStepcd(ctx, spec.stepcd);
  const pipeline = readPipeline(ctx, spec.pipeline);

  return {
    ...(spec.name !== undefined && { name: spec.name }),
    labels: spec.labels ?? {},
    ...(spec.description !== undefined && { description: spec.description }),
    ...input,
    // Either switch set to false disables it: v0 ECS read input.autoRollback, later PipeCD planner.autoRollback.
    autoRollback: input.autoRollback !== false && planner.autoRollback !== false,
    alwaysUsePipeline: planner.alwaysUsePipeline ?? false,
    trigger: readTrigger(ctx, spec.trigger),
    ...pipeline,
    timeoutSeconds: spec.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : (positiveDuration(ctx, spec.timeout, 'spec.timeout') ?? DEFAULT_TIMEOUT_SECONDS),
    mentions: readMentions(ctx, spec.notification),
    ...stepcd,
    // Raw here: the paths are resolved against the app directory by load-app (readTemplating).
    encryption: spec.encryption,
    attachment: spec.attachment,
  };
}

type InputPart = Pick<
  AppConfig,
  'serviceDefinitionFile' | 'taskDefinitionFile' | 'targetGroups' | 'declaredTargetGroups' | 'accessType' | 'isStandalone' | 'standalone'
> & {
  autoRollback?: boolean;
};

/** The fields that only a standalone task (no serviceDefinitionFile) reads, as PipeCD documents them. */
const STANDALONE_FIELDS = ['clusterArn', 'launchType', 'awsvpcConfiguration', 'runStandaloneTask'] as const;

function readInput(ctx: ReadContext, raw: unknown): InputPart {
  if (raw === undefined || raw === null) {
    ctx.issues.error(ctx.check, ctx.file, 'spec.input', 'is required (it names the service and task definition files)');
  }
  const input =
    readObject(ctx, raw, 'spec.input', {
      // PipeCD: an empty serviceDefinitionFile means a standalone task.
      serviceDefinitionFile: z.string(),
      taskDefinitionFile: nonEmpty,
      targetGroups: ANY,
      accessType: z.enum(['ELB', 'SERVICE_DISCOVERY']),
      autoRollback: bool,
      clusterArn: nonEmpty,
      launchType: z.enum(['FARGATE', 'EC2', 'EXTERNAL']),
      awsvpcConfiguration: ANY,
      runStandaloneTask: bool,
    }) ?? {};
  const present = (key: string) => isMapping(raw) && key in raw;
  const serviceFile = input.serviceDefinitionFile === '' ? undefined : input.serviceDefinitionFile;
  const isStandalone = isMapping(raw) && (!present('serviceDefinitionFile') || input.serviceDefinitionFile === '');
  const standalone = isStandalone ? readStandalone(ctx, raw, input) : undefined;
  if (!isStandalone) {
    for (const key of STANDALONE_FIELDS) {
      if (present(key)) {
        ctx.issues.error(
          ctx.check,
          ctx.file,
          `spec.input.${key}`,
          'applies to standalone tasks only: remove it, or remove serviceDefinitionFile to run a standalone task',
        );
      }
    }
  }
  const tgCtx: ReadContext = { ...ctx, check: 'target groups' };
  const groups = readObject(tgCtx, input.targetGroups, 'spec.input.targetGroups', { primary: ANY, canary: ANY }) ?? {};
  const targetGroups: InputPart['targetGroups'] = {};
  for (const role of ['primary', 'canary'] as const) {
    const tg = readTargetGroup(tgCtx, groups[role], `spec.input.targetGroups.${role}`);
    if (tg) targetGroups[role] = tg;
  }
  return {
    isStandalone,
    ...(serviceFile !== undefined && { serviceDefinitionFile: serviceFile }),
    taskDefinitionFile: input.taskDefinitionFile ?? DEFAULT_TASK_DEFINITION_FILE,
    targetGroups,
    declaredTargetGroups: { primary: groups.primary != null, canary: groups.canary != null },
    accessType: input.accessType ?? 'ELB',
    ...(standalone && { standalone }),
    ...(input.autoRollback !== undefined && { autoRollback: input.autoRollback }),
  };
}

const AWSVPC = {
  subnets: z.array(nonEmpty).check(z.minLength(1, 'must name at least one subnet')),
  securityGroups: z.array(nonEmpty),
  assignPublicIp: z.enum(['ENABLED', 'DISABLED']),
};

/**
 * A standalone task's placement: spec.input.clusterArn (required), launchType (default FARGATE) and
 * awsvpcConfiguration (RunTask's shape). Returns undefined when it cannot run; the issues say why.
 */
function readStandalone(
  ctx: ReadContext,
  raw: Record<string, unknown>,
  input: { clusterArn?: string; launchType?: string; awsvpcConfiguration?: unknown; runStandaloneTask?: boolean },
): StandaloneTarget | undefined {
  const why = 'a standalone task (no spec.input.serviceDefinitionFile)';
  if (input.runStandaloneTask === false) {
    // PipeCD then only registers the task definition; stepcd has no stage for that, and a deployment that does nothing would report SUCCESS for nothing.
    ctx.issues.error(ctx.check, ctx.file, 'spec.input.runStandaloneTask', `cannot be false in stepcd: ${why} deploys by running the task once`);
  }
  if (input.clusterArn === undefined) {
    if (!('clusterArn' in raw)) ctx.issues.error(ctx.check, ctx.file, 'spec.input.clusterArn', `is required for ${why}: the cluster the task runs in`);
    return undefined;
  }
  const vpc = readObject(ctx, input.awsvpcConfiguration, 'spec.input.awsvpcConfiguration', AWSVPC);
  if (vpc === undefined) return undefined;
  const launchType = input.launchType ?? 'FARGATE';
  const hasVpc = isMapping(input.awsvpcConfiguration);
  if (hasVpc && vpc.subnets === undefined && !(isMapping(input.awsvpcConfiguration) && 'subnets' in input.awsvpcConfiguration)) {
    ctx.issues.error(ctx.check, ctx.file, 'spec.input.awsvpcConfiguration.subnets', 'is required (RunTask refuses an awsvpc network without subnets)');
  }
  if (launchType === 'FARGATE' && !hasVpc) {
    // Fargate tasks always use awsvpc networking: RunTask would refuse the task with no subnets.
    ctx.issues.error(ctx.check, ctx.file, 'spec.input.awsvpcConfiguration', 'is required with launchType FARGATE (the default): Fargate tasks need subnets');
  }
  return {
    cluster: input.clusterArn,
    launchType,
    ...(hasVpc && vpc.subnets && { awsvpcConfiguration: vpc }),
  };
}

function readTargetGroup(ctx: ReadContext, raw: unknown, path: string): TargetGroupRef | undefined {
  if (raw === undefined || raw === null) return undefined;
  const tg = readObject(ctx, raw, path, { targetGroupArn: TG_ARN, containerName: nonEmpty, containerPort: PORT });
  if (!tg) return undefined;
  let complete = true;
  for (const key of ['targetGroupArn', 'containerName', 'containerPort'] as const) {
    if (tg[key] === undefined) {
      complete = false;
      if (!(isMapping(raw) && key in raw)) ctx.issues.error(ctx.check, ctx.file, fieldPath(path, key), 'is required');
    }
  }
  return complete ? (tg as TargetGroupRef) : undefined;
}

function readTrigger(ctx: ReadContext, raw: unknown): AppConfig['trigger'] {
  const trigger = readObject(ctx, raw, 'spec.trigger', { onCommit: ANY }, { onOutOfSync: IGNORED, onChain: IGNORED, onCommand: IGNORED }) ?? {};
  const onCommit = readObject(ctx, trigger.onCommit, 'spec.trigger.onCommit', { paths: strings, ignores: strings, disabled: bool }) ?? {};
  if (onCommit.disabled === true) {
    ctx.issues.error(ctx.check, ctx.file, 'spec.trigger.onCommit.disabled', 'cannot be true: stepcd deploys only on commit, so the app would never deploy');
  }
  const paths = onCommit.paths ?? [];
  const ignores = onCommit.ignores ?? [];
  for (const [key, list] of [
    ['paths', paths],
    ['ignores', ignores],
  ] as const) {
    const at = `spec.trigger.onCommit.${key}`;
    if (list.length > MAX_TRIGGER_PATTERNS) ctx.issues.error(ctx.check, ctx.file, at, `must hold at most ${MAX_TRIGGER_PATTERNS} patterns`);
    list.forEach((pattern, i) => {
      const problem = pattern.length > MAX_PATTERN_LENGTH ? `must be at most ${MAX_PATTERN_LENGTH} characters` : patternProblem(pattern);
      if (problem) ctx.issues.error(ctx.check, ctx.file, fieldPath(at, i), problem);
    });
  }
  return { paths, ignores };
}

function readPipeline(ctx: ReadContext, raw: unknown): Pick<AppConfig, 'hasPipeline' | 'stages'> {
  if (raw === undefined || raw === null) return { hasPipeline: false, stages: [] };
  const pipeline = readObject({ ...ctx, check: 'pipeline' }, raw, 'spec.pipeline', { stages: ANY });
  if (!pipeline) return { hasPipeline: true, stages: [] };
  return { hasPipeline: true, stages: readStages({ ...ctx, check: 'pipeline' }, pipeline.stages, 'spec.pipeline.stages') };
}

function readMentions(ctx: ReadContext, raw: unknown): Mention[] {
  const notification = readObject(ctx, raw, 'spec.notification', { mentions: ANY }) ?? {};
  if (notification.mentions === undefined || notification.mentions === null) return [];
  const list = readValue(ctx, z.array(ANY), notification.mentions, 'spec.notification.mentions');
  if (!list.ok) return [];
  const mentions: Mention[] = [];
  list.value.forEach((item, i) => {
    const path = fieldPath('spec.notification.mentions', i);
    const m = readObject(ctx, item, path, { event: nonEmpty, slack: strings, slackUsers: strings, slackGroups: strings });
    if (!m) return;
    if (m.event === undefined) {
      if (!(isMapping(item) && 'event' in item))
        ctx.issues.error(ctx.check, ctx.file, fieldPath(path, 'event'), 'is required (an event name such as DEPLOYMENT_WAIT_APPROVAL, or "*")');
      return;
    }
    if (m.slack !== undefined) {
      ctx.issues.warn(ctx.check, ctx.file, fieldPath(path, 'slack'), 'is deprecated in PipeCD; use slackUsers (stepcd treats it the same)');
    }
    mentions.push({
      // PipeCD accepts the event with or without its EVENT_ prefix.
      event: m.event.replace(/^EVENT_/, ''),
      slackUsers: [...new Set([...(m.slackUsers ?? []), ...(m.slack ?? [])])],
      slackGroups: m.slackGroups ?? [],
    });
  });
  return mentions;
}

function readStepcd(
  ctx: ReadContext,
  raw: unknown,
): Pick<AppConfig, 'slackChannel' | 'allowMutableTags' | 'imagePolicy' | 'tagPattern' | 'pollIntervalSeconds' | 'stabilityBackstopSeconds'> {
  const s = readObject(ctx, raw, 'spec.stepcd', { slackChannel: nonEmpty, imagePolicy: ANY, pollInterval: ANY, stabilityBackstop: ANY }) ?? {};
  const policy =
    readObject(ctx, s.imagePolicy, 'spec.stepcd.imagePolicy', {
      allowMutableTags: bool,
      tagPattern: z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(MAX_PATTERN_LENGTH, `must be at most ${MAX_PATTERN_LENGTH} characters`)),
      requireDigest: bool,
    }) ?? {};
  let tagPattern: RE2JS | undefined;
  if (policy.tagPattern !== undefined) {
    const compiled = compileTagPattern(policy.tagPattern);
    if (compiled.ok) tagPattern = compiled.re;
    else ctx.issues.error(ctx.check, ctx.file, 'spec.stepcd.imagePolicy.tagPattern', compiled.reason);
  }
  const poll =
    s.pollInterval === undefined
      ? DEFAULT_POLL_INTERVAL_SECONDS
      : (positiveDuration(ctx, s.pollInterval, 'spec.stepcd.pollInterval') ?? DEFAULT_POLL_INTERVAL_SECONDS);
  const backstop = s.stabilityBackstop === undefined ? undefined : positiveDuration(ctx, s.stabilityBackstop, 'spec.stepcd.stabilityBackstop');
  const imagePolicy: ImagePolicy = {
    allowMutableTags: policy.allowMutableTags ?? false,
    requireDigest: policy.requireDigest ?? false,
    ...(policy.tagPattern !== undefined && { tagPattern: policy.tagPattern }),
  };
  return {
    ...(s.slackChannel !== undefined && { slackChannel: s.slackChannel }),
    allowMutableTags: imagePolicy.allowMutableTags,
    imagePolicy,
    ...(tagPattern && { tagPattern }),
    pollIntervalSeconds: poll,
    ...(backstop !== undefined && { stabilityBackstopSeconds: backstop }),
  };
}
