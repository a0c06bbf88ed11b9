import { asArray, props, PSEUDO, type CfnTemplate } from '../../deploy/support/template.js';
import { LOCAL_KMS_ALIAS, LOCAL_KMS_KEY_ID } from '../../../src/local/kms/index.js';
import type { LocalNames } from './call-log.js';
import type { Where } from './iam-requests.js';

export interface PolicyDocument {
  Version: string;
  Statement: Array<Record<string, unknown>>;
}

/** One caller's identity on AWS: the role (or user policy) and its policies, intrinsics resolved. */
export interface DeployedIdentity {
  /** Who makes the calls: a function name, `state-machine`, or `cli`. */
  principal: string;
  /** Logical id of the role in the template, or `docs/deploy.md` for the CLI policy. */
  owner: string;
  arn: string;
  policies: Array<{ name: string; policy: PolicyDocument }>;
}

export const WHERE: Where = {
  partition: PSEUDO['AWS::Partition'] as string,
  region: PSEUDO['AWS::Region'] as string,
  account: PSEUDO['AWS::AccountId'] as string,
};

/**
 * Resolves CloudFormation intrinsics the way the deployed stack would, with fixed pseudo parameters:
 * Ref, Fn::GetAtt (Arn of the resource types stepcd declares), Fn::Sub, Fn::Join. Conditions are
 * taken as true (the simulation covers the optional E2E target role too).
 */
export function resolve(template: CfnTemplate, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(template, v));
  if (!value || typeof value !== 'object') return value;
  const v = value as Record<string, unknown>;
  if ('Ref' in v) return refOf(template, v.Ref as string);
  if ('Fn::GetAtt' in v) {
    const [id, attribute] = v['Fn::GetAtt'] as [string, string];
    if (attribute !== 'Arn') throw new Error(`cannot resolve GetAtt ${id}.${attribute}`);
    return arnOf(template, id);
  }
  if ('Fn::Sub' in v) {
    const text = Array.isArray(v['Fn::Sub']) ? (v['Fn::Sub'][0] as string) : (v['Fn::Sub'] as string);
    return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      if (name.includes('.')) return arnOf(template, name.split('.')[0] as string);
      return String(refOf(template, name));
    });
  }
  if ('Fn::Join' in v) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map((p) => String(resolve(template, p))).join(sep);
  }
  if ('Fn::If' in v) return resolve(template, (v['Fn::If'] as unknown[])[1]);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(template, x)]));
}

function refOf(template: CfnTemplate, name: string): unknown {
  if (name in PSEUDO) return PSEUDO[name];
  const r = template.Resources[name];
  if (!r) throw new Error(`cannot resolve Ref ${name}`);
  // Ref of these resource types is their ARN (the event bus's is its name).
  if (r.Type === 'AWS::Events::EventBus') return props(r).Name;
  if (r.Type === 'AWS::KMS::Key') return kmsKeyId(name);
  if (r.Type === 'AWS::KMS::Alias') return props(r).AliasName;
  return arnOf(template, name);
}

function arnOf(template: CfnTemplate, id: string): string {
  const r = template.Resources[id];
  if (!r) throw new Error(`template has no resource ${id}`);
  const p = props(r);
  const { partition, region, account } = WHERE;
  const base = (service: string) => `arn:${partition}:${service}:${region}:${account}`;
  switch (r.Type) {
    case 'AWS::DynamoDB::Table':
      return `${base('dynamodb')}:table/${p.TableName}`;
    case 'AWS::Events::EventBus':
      return `${base('events')}:event-bus/${p.Name}`;
    case 'AWS::Events::Rule':
      return `${base('events')}:rule/${p.EventBusName ? `${String(resolve(template, p.EventBusName))}/` : ''}${p.Name ?? id}`;
    case 'AWS::Lambda::Function':
      return `${base('lambda')}:function:${p.FunctionName}`;
    case 'AWS::StepFunctions::StateMachine':
      return `${base('states')}:stateMachine:${p.StateMachineName}`;
    case 'AWS::Logs::LogGroup':
      return `${base('logs')}:log-group:${p.LogGroupName}:*`;
    case 'AWS::KMS::Key':
      return `${base('kms')}:key/${kmsKeyId(id)}`;
    case 'AWS::IAM::Role':
      return `arn:${partition}:iam::${account}:role/${id}`;
    default:
      throw new Error(`cannot resolve the ARN of ${id} (${r.Type})`);
  }
}

/** KMS makes up a key's id at create time: a fixed stand-in, derived from the logical id. */
function kmsKeyId(logicalId: string): string {
  return `00000000-0000-4000-8000-${Buffer.from(logicalId).toString('hex').slice(0, 12).padEnd(12, '0')}`;
}

/** The role of each Lambda function (by its short name) and of the state machine, from the template. */
export function deployedIdentities(template: CfnTemplate, service: string, stage: string): DeployedIdentity[] {
  const out: DeployedIdentity[] = [];
  const roleIdentity = (principal: string, roleId: string): DeployedIdentity => {
    const role = template.Resources[roleId];
    if (role?.Type !== 'AWS::IAM::Role') throw new Error(`${principal}: ${roleId} is not a role`);
    const policies = asArray(props(role).Policies as Array<{ PolicyName: string; PolicyDocument: unknown }>).map((p) => ({
      name: p.PolicyName,
      policy: resolve(template, p.PolicyDocument) as PolicyDocument,
    }));
    return { principal, owner: roleId, arn: arnOf(template, roleId), policies };
  };
  for (const [, r] of Object.entries(template.Resources)) {
    if (r.Type === 'AWS::Lambda::Function') {
      const name = String(props(r).FunctionName).replace(`${service}-${stage}-`, '');
      out.push(roleIdentity(name, (props(r).Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0]));
    }
    if (r.Type === 'AWS::StepFunctions::StateMachine') {
      out.push(roleIdentity('state-machine', (props(r).RoleArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0]));
    }
  }
  return out;
}

/** The local KMS stand-in's alias is the stack's `alias/stepcd-<stage>` once deployed. */
export function deployedAlias(alias: string, template: CfnTemplate): string {
  if (alias !== LOCAL_KMS_ALIAS) return alias;
  const found = Object.values(template.Resources).find((r) => r.Type === 'AWS::KMS::Alias');
  return found ? String(props(found).AliasName) : alias;
}

/**
 * Rewrites a local ARN to the deployed one: the local account becomes the template's, and the
 * resources the local stack names differently (table, bus, state machine, functions) get the
 * template's names. ECS and ELB resources are the user's, named the same in both.
 */
export function deployedArn(arn: string, local: LocalNames, template: CfnTemplate, localAccount: string): string {
  if (arn === '*' || !arn.startsWith('arn:')) return arn;
  const names = deployedNames(template);
  const localMachine = local.stateMachineArn.slice(local.stateMachineArn.lastIndexOf(':') + 1);
  let out = arn.replace(`:${localAccount}:`, `:${WHERE.account}:`);
  out = out
    .replace(new RegExp(`(:dynamodb:[^:]*:[^:]*:table/)${escape(local.tableName)}(?=/|$)`), `$1${names.table}`)
    .replace(new RegExp(`(:events:[^:]*:[^:]*:event-bus/)${escape(local.eventBusName)}$`), `$1${names.bus}`)
    .replace(new RegExp(`(:states:[^:]*:[^:]*:(?:stateMachine|execution):)${escape(localMachine)}(?=:|$)`), `$1${names.stateMachine}`)
    .replace(/(:lambda:[^:]*:[^:]*:function:)([\w-]+)/, (m, head: string, fn: string) => (names.functions[fn] ? `${head}${names.functions[fn]}` : m));
  // The local KMS stand-in's one key is the stack's key.
  if (names.key && out.endsWith(`:key/${LOCAL_KMS_KEY_ID}`) && out.includes(':kms:')) return names.key;
  return out;
}

function deployedNames(template: CfnTemplate) {
  const of = (type: string, key: string) =>
    Object.values(template.Resources)
      .filter((r) => r.Type === type)
      .map((r) => String(props(r)[key]));
  const functions: Record<string, string> = {};
  for (const name of of('AWS::Lambda::Function', 'FunctionName')) functions[name.replace(/^.*?-.*?-/, '')] = name;
  const keyId = Object.entries(template.Resources).find(([, r]) => r.Type === 'AWS::KMS::Key')?.[0];
  return {
    key: keyId ? arnOf(template, keyId) : '',
    table: of('AWS::DynamoDB::Table', 'TableName')[0] as string,
    bus: of('AWS::Events::EventBus', 'Name')[0] as string,
    stateMachine: of('AWS::StepFunctions::StateMachine', 'StateMachineName')[0] as string,
    functions,
  };
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
