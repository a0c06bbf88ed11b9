import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { LOCAL_ACCOUNT, LOCAL_REGION } from '../aws/client-config.js';
import { ConfigError } from '../errors.js';
import type { EventRule } from './eventbridge/bus.js';
import { validatePattern } from './eventbridge/pattern.js';

export const SERVERLESS_FILE = fileURLToPath(new URL('../../serverless.yml', import.meta.url));

/** What the local stack's names stand in for in serverless.yml's `${...}` variables. */
export interface RuleVariables {
  stateMachineName: string;
  /** The stepcd bus (`!Ref EventBus`). */
  eventBusName: string;
}

type Tagged = { Sub: string } | { GetAtt: string } | { Ref: string } | { Join: unknown } | { If: unknown } | { Not: unknown } | { Equals: unknown };

/**
 * yaml custom tags for CloudFormation's short forms in serverless.yml (`!Sub`, `!If [...]`), each read
 * as an object (`{ Sub: '...' }`) so a rule's fields can be told apart from plain lists.
 */
export const CFN_TAGS = (['Sub', 'GetAtt', 'Ref', 'Join', 'If', 'Not', 'Equals'] as const).flatMap((name) =>
  (['scalar', 'seq'] as const).map((kind) => ({
    tag: `!${name}`,
    ...(kind === 'seq' ? { collection: 'seq' as const } : {}),
    resolve: (value: unknown) => ({ [name]: kind === 'seq' ? (value as { toJSON(): unknown }).toJSON() : value }),
  })),
);

interface FunctionShape {
  events?: { eventBridge?: { pattern?: unknown; eventBus?: unknown; enabled?: unknown } }[];
}
interface ServerlessShape {
  functions?: Record<string, FunctionShape | null>;
  resources?: { Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }> };
}

/**
 * The EventBridge rules serverless.yml points at each function: the functions' own `eventBridge`
 * events and the `AWS::Events::Rule` resources whose targets are a function, with their patterns
 * resolved for the local stack. The local stack subscribes exactly these, so it invokes a function
 * exactly when AWS would. A variable or target this cannot resolve throws rather than guessing.
 */
export function functionEventRules(serverlessYml: string, vars: RuleVariables): Record<string, EventRule[]> {
  const doc = parse(serverlessYml, { customTags: CFN_TAGS, logLevel: 'silent' }) as ServerlessShape;
  const out: Record<string, EventRule[]> = {};
  const add = (fn: string, rule: EventRule) => {
    validatePattern(rule.pattern, `serverless.yml's rule for ${fn}`);
    out[fn] = [...(out[fn] ?? []), rule];
  };
  const logicalIds = new Map<string, string>();
  for (const [name, fn] of Object.entries(doc.functions ?? {})) {
    logicalIds.set(`${normalizedName(name)}LambdaFunction`, name);
    for (const event of fn?.events ?? []) {
      const rule = event.eventBridge;
      if (!rule || rule.enabled === false) continue;
      if (rule.eventBus !== undefined) throw new ConfigError(`functions.${name}: an eventBridge event on another bus is not emulated`);
      add(name, { eventBusName: 'default', pattern: resolve(rule.pattern, vars) as EventRule['pattern'] });
    }
  }
  for (const [id, resource] of Object.entries(doc.resources?.Resources ?? {})) {
    if (resource.Type !== 'AWS::Events::Rule') continue;
    const props = resource.Properties ?? {};
    if (props.State === 'DISABLED') continue;
    const targets = Array.isArray(props.Targets) ? (props.Targets as { Arn?: unknown }[]) : [];
    for (const target of targets) {
      const att = (target.Arn as { GetAtt?: unknown } | undefined)?.GetAtt;
      const fn = typeof att === 'string' && att.endsWith('.Arn') ? logicalIds.get(att.slice(0, -'.Arn'.length)) : undefined;
      if (!fn) continue;
      add(fn, { eventBusName: busOf(props.EventBusName, id, vars), pattern: resolve(props.EventPattern, vars) as EventRule['pattern'] });
    }
  }
  return out;
}

export async function readFunctionEventRules(vars: RuleVariables, file = SERVERLESS_FILE): Promise<Record<string, EventRule[]>> {
  return functionEventRules(await readFile(file, 'utf8'), vars);
}

/** The Serverless Framework's logical-id spelling of a function name (`github-deployments` → `GithubDashdeployments`). */
function normalizedName(name: string): string {
  const spelled = name.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return spelled.charAt(0).toUpperCase() + spelled.slice(1);
}

function busOf(value: unknown, id: string, vars: RuleVariables): string {
  if (value === undefined) return 'default';
  if ((value as { Ref?: unknown }).Ref === 'EventBus') return vars.eventBusName;
  throw new ConfigError(`resources.${id}: EventBusName ${JSON.stringify(value)} is not a bus the local stack has`);
}

function resolve(value: unknown, vars: RuleVariables): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(v, vars));
  if (typeof value === 'string') {
    if (value.includes('${')) throw new ConfigError(`serverless.yml: a rule's pattern holds an unresolved variable in ${value}`);
    return value;
  }
  if (value === null || typeof value !== 'object') return value;
  const tagged = value as Tagged;
  if ('Sub' in tagged) return substitute(tagged.Sub, vars);
  if ('GetAtt' in tagged || 'Ref' in tagged || 'If' in tagged || 'Not' in tagged || 'Equals' in tagged) {
    throw new ConfigError(`serverless.yml: a rule's pattern holds ${JSON.stringify(value)}, which the local stack cannot resolve`);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, vars)]));
}

function substitute(template: string, vars: RuleVariables): string {
  const known: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': LOCAL_REGION,
    'AWS::AccountId': LOCAL_ACCOUNT,
    'self:custom.stateMachineName': vars.stateMachineName,
    'self:custom.eventBusName': vars.eventBusName,
  };
  return template.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
    const v = known[name];
    if (v === undefined) throw new ConfigError(`serverless.yml: the local stack has no value for \${${name}} in a rule's pattern`);
    return v;
  });
}
