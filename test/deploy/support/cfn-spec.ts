import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';
import type { Property, PropertyType, SpecDatabase } from '@aws-cdk/service-spec-types';
import type { CfnTemplate } from './template.js';

/** Resource-level attributes CloudFormation accepts next to Type and Properties. */
const RESOURCE_KEYS = new Set([
  'Type',
  'Properties',
  'DependsOn',
  'Condition',
  'DeletionPolicy',
  'UpdateReplacePolicy',
  'Metadata',
  'UpdatePolicy',
  'CreationPolicy',
]);
const INTRINSICS = new Set([
  'Ref',
  'Fn::GetAtt',
  'Fn::Sub',
  'Fn::Join',
  'Fn::If',
  'Fn::Select',
  'Fn::Split',
  'Fn::ImportValue',
  'Fn::FindInMap',
  'Fn::Base64',
  'Fn::GetAZs',
  'Fn::Cidr',
  'Fn::ToJsonString',
  'Fn::Length',
]);

/**
 * Checks a template against the CloudFormation resource specification (AWS's registry schemas, as
 * @aws-cdk/aws-service-spec ships them): every resource type exists, every property is one the type
 * has, required properties are present, and values have the declared shape (string, number,
 * boolean, list, map, nested type). Intrinsic functions stand in for any value.
 */
export async function validateTemplate(template: CfnTemplate): Promise<string[]> {
  const db = await loadAwsServiceSpec();
  const errors: string[] = [];
  for (const [id, resource] of Object.entries(template.Resources)) {
    for (const key of Object.keys(resource)) if (!RESOURCE_KEYS.has(key)) errors.push(`${id}: unknown resource attribute ${key}`);
    const found = db.lookup('resource', 'cloudFormationType', 'equals', resource.Type);
    if (found.length !== 1) {
      errors.push(`${id}: unknown resource type ${resource.Type}`);
      continue;
    }
    const spec = found.only();
    checkObject(db, `${id}.Properties`, resource.Properties ?? {}, spec.properties, errors);
  }
  errors.push(...checkReferences(db, template));
  return errors;
}

/** Every Ref and Fn::GetAtt names a resource of the template (or a pseudo parameter), and GetAtt an attribute its type has. */
function checkReferences(db: SpecDatabase, template: CfnTemplate): string[] {
  const errors: string[] = [];
  const parameters = new Set(Object.keys((template as { Parameters?: object }).Parameters ?? {}));
  const visit = (path: string, value: unknown): void => {
    if (Array.isArray(value)) return value.forEach((v, i) => visit(`${path}[${i}]`, v));
    if (!value || typeof value !== 'object') return;
    const v = value as Record<string, unknown>;
    if (typeof v.Ref === 'string' && !v.Ref.startsWith('AWS::') && !(v.Ref in template.Resources) && !parameters.has(v.Ref))
      errors.push(`${path}: Ref to unknown ${v.Ref}`);
    if (Array.isArray(v['Fn::GetAtt'])) {
      const [id, attribute] = v['Fn::GetAtt'] as [string, string];
      const target = template.Resources[id];
      if (!target) errors.push(`${path}: GetAtt of unknown resource ${id}`);
      else {
        const spec = db.lookup('resource', 'cloudFormationType', 'equals', target.Type);
        if (spec.length === 1 && !(attribute in spec.only().attributes)) errors.push(`${path}: ${target.Type} has no attribute ${attribute}`);
      }
    }
    for (const [k, x] of Object.entries(v)) visit(`${path}.${k}`, x);
  };
  for (const [id, resource] of Object.entries(template.Resources)) {
    visit(id, resource.Properties);
    for (const dependency of [resource.DependsOn ?? []].flat()) if (!(dependency in template.Resources)) errors.push(`${id}.DependsOn: unknown ${dependency}`);
  }
  visit('Outputs', template.Outputs);
  return errors;
}

function checkObject(db: SpecDatabase, path: string, value: unknown, properties: Record<string, Property>, errors: string[]): void {
  if (isIntrinsic(value)) return;
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    errors.push(`${path}: expected an object`);
    return;
  }
  const given = value as Record<string, unknown>;
  for (const [name, property] of Object.entries(properties)) {
    if (property.required && !(name in given)) errors.push(`${path}.${name}: required property missing`);
  }
  for (const [name, v] of Object.entries(given)) {
    const property = properties[name];
    if (!property) errors.push(`${path}.${name}: not a property of this type`);
    else checkValue(db, `${path}.${name}`, v, [property.type, ...(property.previousTypes ?? [])], errors);
  }
}

/** Valid if the value fits any of the types (current, union members, or an older accepted type). */
function checkValue(db: SpecDatabase, path: string, value: unknown, types: PropertyType[], errors: string[]): void {
  if (isIntrinsic(value)) return;
  const attempts = types
    .flatMap((t) => (t.type === 'union' ? (t.types as PropertyType[]) : [t]))
    .map((type) => {
      const found: string[] = [];
      checkOne(db, path, value, type, found);
      return found;
    });
  if (attempts.some((a) => a.length === 0)) return;
  errors.push(...(attempts.sort((a, b) => a.length - b.length)[0] ?? [`${path}: no type`]));
}

function checkOne(db: SpecDatabase, path: string, value: unknown, type: PropertyType, errors: string[]): void {
  switch (type.type) {
    case 'string':
    case 'date-time':
      if (typeof value !== 'string') errors.push(`${path}: expected a string, got ${JSON.stringify(value)}`);
      return;
    case 'number':
    case 'integer':
      if (typeof value !== 'number' && !(typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)))
        errors.push(`${path}: expected a number, got ${JSON.stringify(value)}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean' && value !== 'true' && value !== 'false') errors.push(`${path}: expected a boolean, got ${JSON.stringify(value)}`);
      return;
    case 'json':
      return;
    case 'null':
      if (value !== null) errors.push(`${path}: expected null`);
      return;
    case 'tag':
      if (!value || typeof value !== 'object' || !('Key' in value) || !('Value' in value)) errors.push(`${path}: expected a { Key, Value } tag`);
      return;
    case 'array':
      if (!Array.isArray(value)) errors.push(`${path}: expected a list`);
      else value.forEach((v, i) => checkValue(db, `${path}[${i}]`, v, [type.element as PropertyType], errors));
      return;
    case 'map':
      if (!value || typeof value !== 'object' || Array.isArray(value)) errors.push(`${path}: expected a map`);
      else for (const [k, v] of Object.entries(value)) checkValue(db, `${path}.${k}`, v, [type.element as PropertyType], errors);
      return;
    case 'ref': {
      const definition = db.get('typeDefinition', type.reference.$ref);
      checkObject(db, path, value, definition.properties, errors);
      return;
    }
    default:
      errors.push(`${path}: unsupported spec type ${JSON.stringify(type)}`);
  }
}

function isIntrinsic(value: unknown): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && INTRINSICS.has(keys[0] as string);
}
