import * as z from 'zod/mini';
import { fieldPath, type CheckName, type IssueList } from './issues.js';
import { show } from './values.js';

/** Where issues found while reading a value go. */
export interface ReadContext {
  issues: IssueList;
  file: string;
  check: CheckName;
}

export type Shape = Record<string, z.core.$ZodType>;
export type ReadResult<S extends Shape> = { [K in keyof S]?: z.output<S[K]> };

export function isMapping(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw);
}

/**
 * Reads a strict mapping one field at a time. Unlike a single zod object, a bad field does not void its
 * siblings, so every problem in the file is reported at once and later checks still see the good fields.
 * Keys in `ignored` are PipeCD features stepcd does not implement: a warning, never an error.
 * Returns undefined (after reporting) when `raw` is present but not a mapping, and {} when it is absent.
 */
export function readObject<S extends Shape>(
  ctx: ReadContext,
  raw: unknown,
  path: string,
  shape: S,
  ignored: Record<string, string> = {},
): ReadResult<S> | undefined {
  if (raw === undefined || raw === null) return {};
  if (!isMapping(raw)) {
    ctx.issues.error(ctx.check, ctx.file, path, `must be a mapping (got ${show(raw)})`);
    return undefined;
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const here = fieldPath(path, key);
    const schema = shape[key];
    if (schema) {
      const parsed = readValue(ctx, schema, value, here);
      if (parsed.ok && parsed.value !== undefined) out[key] = parsed.value;
    } else if (key in ignored) {
      ctx.issues.warn(ctx.check, ctx.file, here, ignored[key] as string);
    } else {
      ctx.issues.error(ctx.check, ctx.file, here, `is an unknown field${suggest(key, Object.keys(shape))}`);
    }
  }
  return out as ReadResult<S>;
}

/** Parses one value with a zod schema, turning zod's issues into stepcd's wording. */
export function readValue<T>(ctx: ReadContext, schema: z.core.$ZodType<T>, raw: unknown, path: string): { ok: true; value: T } | { ok: false } {
  const result = z.safeParse(schema, raw, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  for (const issue of result.error.issues) {
    const here = fieldPath(path, ...issue.path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) ctx.issues.error(ctx.check, ctx.file, fieldPath(here, key), 'is an unknown field');
    } else {
      ctx.issues.error(ctx.check, ctx.file, here, describeZodIssue(issue));
    }
  }
  return { ok: false };
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

function describeZodIssue(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return 'is required';
      return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected} (got ${show(input)})`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')} (got ${show(input)})`;
    default:
      // Our schemas give their own messages for everything else (min, max, regex, refine).
      return issue.message;
  }
}

/** "did you mean" for typos such as `serviceDefintionFile`: same letters give or take two edits. */
function suggest(key: string, known: string[]): string {
  const best = known
    .map((k) => ({ k, d: distance(key.toLowerCase(), k.toLowerCase()) }))
    .filter((c) => c.d <= 2)
    .sort((a, b) => a.d - b.d)[0];
  return best ? ` (did you mean ${best.k}?)` : '';
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
