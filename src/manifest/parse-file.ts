import { parseDocument } from 'yaml';
import type { ManifestIssue } from './issues.js';
import { locateJsonError } from './json-error.js';
import { MAX_NESTING_DEPTH, MAX_YAML_ALIASES } from './limits.js';

/** A syntax error also carries where it is, 1-based. */
export type SyntaxIssue = ManifestIssue & { line?: number; column?: number };
export type ParsedFile = { ok: true; value: unknown } | { ok: false; issues: SyntaxIssue[] };

/**
 * Parses one manifest file, JSON when its name ends in `.json`, YAML otherwise. Syntax errors become
 * issues carrying the line and column instead of exceptions, all of them at once for YAML. Hostile
 * input (alias bombs, deep nesting, unknown tags) is an issue too, never a thrown ReferenceError.
 */
export function parseManifestText(file: string, text: string): ParsedFile {
  // A push reads each app config for its trigger settings, its identity and its plan: the same
  // text is parsed once, and the value shared (frozen, so no reader can change another's copy).
  const key = `${file}\u0000${text}`;
  const known = parsedTexts.get(key);
  if (known) {
    parsedTexts.delete(key);
    parsedTexts.set(key, known);
    return known;
  }
  const parsed = parseUncached(file, text);
  parsedTexts.set(key, parsed);
  if (parsedTexts.size > MAX_PARSED_TEXTS) parsedTexts.delete(parsedTexts.keys().next().value as string);
  return parsed;
}

/** Enough for every file of a 1,000-app push (config, service and task definition). */
const MAX_PARSED_TEXTS = 4_096;
const parsedTexts = new Map<string, ParsedFile>();

function parseUncached(file: string, text: string): ParsedFile {
  const parsed = file.toLowerCase().endsWith('.json') ? parseJson(file, text) : parseYaml(file, text);
  if (!parsed.ok) return deepFreeze(parsed);
  const problem = plainDataProblem(parsed.value);
  return deepFreeze(problem ? failure(file, problem) : parsed);
}

/** Plain data only (checked first), so an explicit stack walks it whatever its depth. */
function deepFreeze<T>(root: T): T {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object' || Object.isFrozen(value)) continue;
    Object.freeze(value);
    for (const child of Object.values(value)) stack.push(child);
  }
  return root;
}

function failure(file: string, message: string, at?: { line: number; column: number }): ParsedFile {
  return { ok: false, issues: [{ file, path: '', message, severity: 'error', ...at }] };
}

function parseJson(file: string, text: string): ParsedFile {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    const where = locateJsonError(text);
    const message = where ? `invalid JSON at line ${where.line}, column ${where.column}: ${where.message}` : `invalid JSON: ${(err as Error).message}`;
    return failure(file, message, where ? { line: where.line, column: where.column } : undefined);
  }
}

function parseYaml(file: string, text: string): ParsedFile {
  // uniqueKeys (the default) makes duplicate keys errors: silently taking the last one hides typos.
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  // An unknown tag (`!ruby/object`) would otherwise be dropped silently and its value kept as if plain.
  const unknownTags = doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED');
  const problems = [...doc.errors, ...unknownTags];
  if (problems.length > 0) {
    const issues = problems.map((e): SyntaxIssue => {
      const pos = e.linePos?.[0];
      const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
      const first = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
      const reason =
        e.code === 'TAG_RESOLVE_FAILED'
          ? `${first.replace('Unresolved tag', 'unknown tag')}: stepcd reads plain YAML, without language-specific tags`
          : e.code === 'RESOURCE_EXHAUSTION'
            ? `nested too deeply to parse (${first})`
            : first;
      return { file, path: '', message: `invalid YAML${where}: ${reason}`, severity: 'error', ...(pos && { line: pos.line, column: pos.col }) };
    });
    return { ok: false, issues };
  }
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) as unknown };
  } catch (err) {
    // yaml throws a ReferenceError for an alias bomb ("billion laughs"); say so in the file's terms.
    if (err instanceof ReferenceError || err instanceof RangeError) {
      return failure(
        file,
        `invalid YAML: its aliases expand too far (more than ${MAX_YAML_ALIASES} alias uses, or a huge expansion); write the values out instead of an alias bomb`,
      );
    }
    throw err;
  }
}

/**
 * Manifests are plain data: mappings, lists, strings, numbers, booleans and null, nested at most
 * MAX_NESTING_DEPTH deep. Walked with an explicit stack, so deep input cannot overflow the call stack.
 */
function plainDataProblem(root: unknown): string | undefined {
  const stack: { value: unknown; depth: number }[] = [{ value: root, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_NESTING_DEPTH) return `is nested more than ${MAX_NESTING_DEPTH} levels deep; a manifest needs far fewer`;
    const proto = Object.getPrototypeOf(value) as unknown;
    if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) {
      return 'holds a typed value (such as !!binary); stepcd reads plain YAML values only';
    }
    for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push({ value: child, depth: depth + 1 });
  }
  return undefined;
}
