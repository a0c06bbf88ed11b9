/** Typed views over the CloudFormation template osls generates, for the packaging test. */

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Condition?: string;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Conditions?: Record<string, unknown>;
  Outputs?: Record<string, unknown>;
}

export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export interface OwnedStatement {
  /** Logical id of the role or policy holding the statement. */
  owner: string;
  statement: PolicyStatement;
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function resourcesOfType(template: CfnTemplate, type: string): Array<[string, CfnResource]> {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

export function resource(template: CfnTemplate, logicalId: string): CfnResource {
  const found = template.Resources[logicalId];
  if (!found) throw new Error(`template has no resource ${logicalId}`);
  return found;
}

export function props(resourceValue: CfnResource): Record<string, any> {
  return (resourceValue.Properties ?? {}) as Record<string, any>;
}

/** Every statement of every identity policy: inline role policies, AWS::IAM::Policy, managed policies. */
export function identityPolicyStatements(template: CfnTemplate): OwnedStatement[] {
  const out: OwnedStatement[] = [];
  for (const [id, r] of Object.entries(template.Resources)) {
    const p = props(r);
    const documents: unknown[] =
      r.Type === 'AWS::IAM::Role'
        ? asArray(p.Policies as Array<{ PolicyDocument: unknown }> | undefined).map((x) => x.PolicyDocument)
        : r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy'
          ? [p.PolicyDocument]
          : [];
    for (const doc of documents) {
      for (const statement of asArray((doc as { Statement: PolicyStatement | PolicyStatement[] }).Statement)) {
        out.push({ owner: id, statement });
      }
    }
  }
  return out;
}

export function actionsOf(statements: OwnedStatement[]): string[] {
  return statements.flatMap((s) => asArray(s.statement.Action));
}

/**
 * Renders an intrinsic-function value to a plain string with fixed pseudo parameters, so tests can
 * compare ARNs and hand environment variables to a bundle: Fn::Sub, Fn::Join, Ref and Fn::GetAtt.
 */
export function render(value: unknown, pseudo: Record<string, string> = PSEUDO): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('Fn::Sub' in v) {
      const template = Array.isArray(v['Fn::Sub']) ? (v['Fn::Sub'][0] as string) : (v['Fn::Sub'] as string);
      return template.replace(/\$\{([^}]+)\}/g, (_, name: string) => pseudo[name] ?? `<${name}>`);
    }
    if ('Fn::Join' in v) {
      const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
      return parts.map((p) => render(p, pseudo)).join(sep);
    }
    if ('Ref' in v) return pseudo[v.Ref as string] ?? `<Ref ${String(v.Ref)}>`;
    if ('Fn::GetAtt' in v) return `<GetAtt ${(v['Fn::GetAtt'] as string[]).join('.')}>`;
  }
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

export const PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws',
  'AWS::Region': 'us-east-1',
  'AWS::AccountId': '123456789012',
};
