/**
 * EventBridge's event-pattern matching, as its rules apply it to an event in its envelope shape
 * (`source`, `detail-type`, `detail`, ...). Hand-written: the registry has no maintained JavaScript
 * implementation (AWS's own, event-ruler, is Java). Semantics as AWS documents them:
 * - every field the pattern names must match (AND); a field's array lists alternatives (OR);
 * - a nested object descends into the event's object of that name;
 * - an event value that is an array matches when any of its elements does;
 * - a field missing from the event matches only `{ "exists": false }`;
 * - `$or` holds two or more sub-patterns, any of which may match, at any level;
 * - matchers: exact values (string, number, boolean, null), `prefix`, `suffix`, `equals-ignore-case`,
 *   `wildcard`, `numeric`, `exists`, `cidr` (IPv4) and `anything-but` (a value, a list, or a
 *   `prefix`/`suffix`/`equals-ignore-case`/`wildcard` of the value).
 * A pattern AWS would refuse (PutRule's InvalidEventPatternException) is refused here too.
 */
export type EventPattern = { [field: string]: unknown };

export class InvalidEventPatternError extends Error {
  override readonly name = 'InvalidEventPatternException';
}

/** Throws InvalidEventPatternError for a pattern EventBridge would not accept. */
export function validatePattern(pattern: unknown, path = 'pattern'): asserts pattern is EventPattern {
  if (!isObject(pattern)) throw new InvalidEventPatternError(`${path} must be a JSON object`);
  for (const [key, value] of Object.entries(pattern)) {
    const at = `${path}.${key}`;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) throw new InvalidEventPatternError(`${at} needs an array of at least two patterns`);
      value.forEach((alt, i) => validatePattern(alt, `${at}[${i}]`));
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw new InvalidEventPatternError(`${at} must list at least one value`);
      for (const m of value) validateMatcher(m, at);
    } else if (isObject(value)) {
      validatePattern(value, at);
    } else {
      throw new InvalidEventPatternError(`${at} must be an array of values or a nested object`);
    }
  }
}

/** Whether `event` (the envelope as EventBridge hands it to targets) matches `pattern`. */
export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  for (const [key, expected] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!(expected as EventPattern[]).some((alt) => matchesPattern(alt, event))) return false;
      continue;
    }
    const actual = isObject(event) ? event[key] : undefined;
    if (Array.isArray(expected)) {
      if (!matchesLeaf(expected, actual)) return false;
    } else if (Array.isArray(actual)) {
      if (!actual.some((element) => matchesPattern(expected as EventPattern, element))) return false;
    } else if (!isObject(actual) || !matchesPattern(expected as EventPattern, actual)) {
      return false;
    }
  }
  return true;
}

function matchesLeaf(matchers: unknown[], actual: unknown): boolean {
  // Only leaves (not objects) are values; an empty array holds none.
  const values = (actual === undefined ? [] : Array.isArray(actual) ? actual : [actual]).filter((v) => !isObject(v));
  return matchers.some((m) => {
    if (isObject(m) && 'exists' in m) return m.exists === values.length > 0;
    if (isObject(m) && 'anything-but' in m) return values.some((v) => !excluded(m['anything-but'], v));
    return values.some((v) => matchesValue(m, v));
  });
}

function matchesValue(m: unknown, v: unknown): boolean {
  if (!isObject(m)) return m === v;
  const [op, arg] = Object.entries(m)[0] as [string, unknown];
  const text = typeof v === 'string' ? v : undefined;
  switch (op) {
    case 'prefix':
      return text !== undefined && (isObject(arg) ? lower(text).startsWith(lower(arg['equals-ignore-case'])) : text.startsWith(arg as string));
    case 'suffix':
      return text !== undefined && (isObject(arg) ? lower(text).endsWith(lower(arg['equals-ignore-case'])) : text.endsWith(arg as string));
    case 'equals-ignore-case':
      return text !== undefined && lower(text) === lower(arg);
    case 'wildcard':
      return text !== undefined && wildcardRegExp(arg as string).test(text);
    case 'numeric':
      return typeof v === 'number' && numericHolds(arg as unknown[], v);
    case 'cidr':
      return text !== undefined && inCidr(text, arg as string);
    default:
      return false;
  }
}

/** What `anything-but` leaves out: a value, a list of values, or one string matcher. */
function excluded(arg: unknown, v: unknown): boolean {
  if (Array.isArray(arg)) return arg.includes(v);
  if (isObject(arg)) return matchesValue(arg, v);
  return arg === v;
}

const STRING_OPS = new Set(['prefix', 'suffix', 'equals-ignore-case', 'wildcard']);
const NUMERIC_OPS = new Set(['<', '<=', '=', '>', '>=']);

function validateMatcher(m: unknown, at: string): void {
  if (m === null || ['string', 'number', 'boolean'].includes(typeof m)) return;
  if (!isObject(m)) throw new InvalidEventPatternError(`${at}: ${JSON.stringify(m)} is not a value or a matcher`);
  const keys = Object.keys(m);
  if (keys.length !== 1) throw new InvalidEventPatternError(`${at}: a matcher has exactly one operator, got ${JSON.stringify(m)}`);
  const op = keys[0]!;
  const arg = m[op];
  const bad = () => new InvalidEventPatternError(`${at}: invalid ${op} ${JSON.stringify(arg)}`);
  switch (op) {
    case 'prefix':
    case 'suffix':
      if (typeof arg === 'string' || (isObject(arg) && Object.keys(arg).join() === 'equals-ignore-case' && typeof arg['equals-ignore-case'] === 'string'))
        return;
      throw bad();
    case 'equals-ignore-case':
    case 'wildcard':
    case 'cidr':
      if (typeof arg === 'string' && (op !== 'cidr' || /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(arg))) return;
      throw bad();
    case 'exists':
      if (typeof arg === 'boolean') return;
      throw bad();
    case 'numeric': {
      const list = Array.isArray(arg) ? arg : [];
      const ok = list.length > 0 && list.length % 2 === 0 && list.every((x, i) => (i % 2 === 0 ? NUMERIC_OPS.has(x as string) : typeof x === 'number'));
      if (ok) return;
      throw bad();
    }
    case 'anything-but': {
      if (typeof arg === 'string' || typeof arg === 'number') return;
      if (Array.isArray(arg) && arg.length > 0 && arg.every((x) => typeof x === 'string' || typeof x === 'number')) return;
      if (isObject(arg) && Object.keys(arg).length === 1 && STRING_OPS.has(Object.keys(arg)[0]!)) {
        validateMatcher(arg, at);
        return;
      }
      throw bad();
    }
    default:
      throw new InvalidEventPatternError(`${at}: unknown operator ${op}`);
  }
}

function numericHolds(conditions: unknown[], v: number): boolean {
  for (let i = 0; i < conditions.length; i += 2) {
    const n = conditions[i + 1] as number;
    const holds = { '<': v < n, '<=': v <= n, '=': v === n, '>': v > n, '>=': v >= n }[conditions[i] as string];
    if (!holds) return false;
  }
  return true;
}

/** `*` is any run of characters; `\*` a literal star. */
function wildcardRegExp(wildcard: string): RegExp {
  const parts = wildcard.split(/(?<!\\)\*/).map((p) => p.replace(/\\\*/g, '*').replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`, 's');
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/') as [string, string];
  const a = ipv4(ip);
  const b = ipv4(base);
  if (a === undefined || b === undefined) return false;
  const mask = Number(bits) === 0 ? 0 : (~0 << (32 - Number(bits))) >>> 0;
  return (a & mask) >>> 0 === (b & mask) >>> 0;
}

function ipv4(text: string): number | undefined {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return parts.reduce((acc, p) => (acc * 256 + p) >>> 0, 0);
}

function lower(v: unknown): string {
  return String(v).toLowerCase();
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
