import { runSimulation } from '@cloud-copilot/iam-simulate';
import { props, type CfnTemplate } from '../../deploy/support/template.js';
import { LOCAL_ACCOUNT } from '../../../src/aws/client-config.js';
import type { CallLogEntry } from './call-log.js';
import { deployedAlias, deployedArn, resolve, WHERE, type DeployedIdentity, type PolicyDocument } from './deployed-roles.js';
import { iamRequestsFor, type IamRequest } from './iam-requests.js';

/** A request AWS would refuse: who, what, on which resource, and where the suite made it. */
export interface Denial {
  principal: string;
  action: string;
  resource: string;
  via: string;
  files: string[];
  result: string;
}

/** One action on one resource pattern, as a statement of a role grants it. */
export interface Grant {
  principal: string;
  owner: string;
  action: string;
  resource: string;
}

export const grantKey = (g: Pick<Grant, 'principal' | 'action' | 'resource'>) => `${g.principal} ${g.action} ${g.resource}`;

export interface Simulated {
  requests: Array<IamRequest & { files: string[] }>;
  denials: Denial[];
  /** Principals with no identity to simulate against (a caller the mapping does not know). */
  unknownPrincipals: string[];
}

/** Unattributed callers: the tests themselves, seeding, the harness. */
const UNATTRIBUTED = new Set(['local']);

/** The distinct IAM requests behind the recorded calls, rewritten to the deployed names. */
export async function iamRequestsOf(entries: CallLogEntry[], template: CfnTemplate): Promise<Array<IamRequest & { files: string[] }>> {
  const byKey = new Map<string, IamRequest & { files: string[] }>();
  for (const entry of entries) {
    for (const call of entry.calls) {
      if (UNATTRIBUTED.has(call.principal)) continue;
      const local = { partition: 'aws', region: WHERE.region, account: LOCAL_ACCOUNT };
      for (const request of await iamRequestsFor(call, local)) {
        const resource = deployedArn(request.resource, entry.names, template, LOCAL_ACCOUNT);
        const policy = resourcePolicyOf(template, resource);
        const deployed = { ...request, resource, ...(policy && { resourcePolicy: policy }) };
        for (const [k, v] of Object.entries(deployed.context))
          deployed.context[k] = deployedAlias(deployedArn(v, entry.names, template, LOCAL_ACCOUNT), template);
        const key = `${deployed.principal}|${deployed.action}|${deployed.resource}|${JSON.stringify(deployed.context)}`;
        const seen = byKey.get(key);
        if (seen) {
          if (!seen.files.includes(entry.file)) seen.files.push(entry.file);
        } else byKey.set(key, { ...deployed, files: [entry.file] });
      }
    }
  }
  return [...byKey.values()];
}

/**
 * The policy on the resource itself, where IAM requires one: a KMS key is usable only as far as its
 * key policy allows (here, by delegating to the account's IAM policies).
 */
export function resourcePolicyOf(template: CfnTemplate, resource: string): PolicyDocument | undefined {
  for (const [id, r] of Object.entries(template.Resources)) {
    if (r.Type === 'AWS::KMS::Key' && resolve(template, { 'Fn::GetAtt': [id, 'Arn'] }) === resource) {
      return resolve(template, props(r).KeyPolicy) as PolicyDocument;
    }
  }
  return undefined;
}

export async function allowed(identity: Pick<DeployedIdentity, 'arn' | 'policies'>, request: IamRequest): Promise<string> {
  const result = await runSimulation(
    {
      request: {
        principal: identity.arn,
        action: request.action,
        resource: { resource: request.resource, accountId: WHERE.account },
        contextVariables: request.context,
      },
      identityPolicies: identity.policies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(request.resourcePolicy && { resourcePolicy: request.resourcePolicy }),
    },
    {},
  );
  if (result.resultType === 'error') {
    throw new Error(`cannot simulate ${request.action} on ${request.resource}: ${JSON.stringify(result.errors)}`);
  }
  return result.overallResult;
}

/** Simulates every request against its caller's identity; any result but Allowed is a denial. */
export async function simulate(entries: CallLogEntry[], template: CfnTemplate, identities: DeployedIdentity[]): Promise<Simulated> {
  const requests = await iamRequestsOf(entries, template);
  const denials: Denial[] = [];
  const unknown = new Set<string>();
  for (const request of requests) {
    const identity = identities.find((i) => i.principal === request.principal);
    if (!identity) {
      unknown.add(request.principal);
      continue;
    }
    const result = await allowed(identity, request);
    if (result !== 'Allowed')
      denials.push({ principal: request.principal, action: request.action, resource: request.resource, via: request.via, files: request.files, result });
  }
  return { requests, denials, unknownPrincipals: [...unknown] };
}

/** Every (action, resource pattern) each identity's Allow statements grant. */
export function grantsOf(identities: DeployedIdentity[]): Array<Grant & { statement: Record<string, unknown> }> {
  const out: Array<Grant & { statement: Record<string, unknown> }> = [];
  for (const identity of identities) {
    for (const { policy } of identity.policies) {
      for (const statement of policy.Statement) {
        if (statement.Effect !== 'Allow') continue;
        for (const action of asList(statement.Action)) {
          for (const resource of asList(statement.Resource)) {
            out.push({ principal: identity.principal, owner: identity.owner, action, resource, statement });
          }
        }
      }
    }
  }
  return out;
}

/**
 * Grants no recorded request needs: each grant is simulated alone (its statement cut down to that
 * action and resource, conditions kept) against the caller's requests for that action.
 */
export async function unusedGrants(identities: DeployedIdentity[], requests: IamRequest[]): Promise<Grant[]> {
  const unused: Grant[] = [];
  for (const grant of grantsOf(identities)) {
    const identity = identities.find((i) => i.principal === grant.principal) as DeployedIdentity;
    const only: PolicyDocument = { Version: '2012-10-17', Statement: [{ ...grant.statement, Action: grant.action, Resource: grant.resource }] };
    const candidates = requests.filter((r) => r.principal === grant.principal && r.action.toLowerCase() === grant.action.toLowerCase());
    let used = false;
    for (const request of candidates) {
      if ((await allowed({ arn: identity.arn, policies: [{ name: 'grant', policy: only }] }, request)) === 'Allowed') {
        used = true;
        break;
      }
    }
    if (!used) unused.push({ principal: grant.principal, owner: grant.owner, action: grant.action, resource: grant.resource });
  }
  return unused;
}

function asList(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

export function describeDenials(denials: Denial[]): string {
  return denials.map((d) => `${d.principal}: ${d.action} on ${d.resource} (${d.result}; from ${d.via}, in ${d.files.join(', ')})`).join('\n');
}
