import { RE2JS } from 're2js';

/**
 * `trigger.onCommit.{paths, ignores}` patterns, relative to the repository root as in PipeCD.
 *
 * - A glob: `*` and `?` stay within one path segment, `**` crosses segments. A pattern also covers
 *   everything beneath it, so `shared/lib` matches `shared/lib/a.ts` (PipeCD's file matcher does the same).
 * - A regular expression, when the pattern is anchored with `^` or `$`: `^services/(api|web)/`.
 *
 * Both run on RE2 (re2js), in time linear in the path: a pattern comes from any app's manifest and is
 * matched inside the webhook, where one catastrophic backtrack (`^(a|aa)+$`) would stall every app's push.
 * A pattern RE2 cannot run (backreferences, lookaround) matches nothing here; src/manifest refuses it.
 */
export type PathMatcher = (path: string) => boolean;

export function compilePattern(pattern: string): PathMatcher {
  const re = patternRegex(pattern);
  if (!re.ok) return () => false;
  const compiled = re.re;
  return (path) => compiled.matcher(path).find();
}

export function compilePatterns(patterns: readonly string[]): PathMatcher {
  const matchers = patterns.map(compilePattern);
  return (path) => matchers.some((m) => m(path));
}

/** Why a pattern cannot be used, or undefined when it can. */
export function patternProblem(pattern: string): string | undefined {
  const re = patternRegex(pattern);
  return re.ok ? undefined : re.reason;
}

function patternRegex(pattern: string): { ok: true; re: RE2JS } | { ok: false; reason: string } {
  const trimmed = pattern.trim();
  const source = isRegex(trimmed) ? trimmed : globSource(trimmed);
  try {
    return { ok: true, re: RE2JS.compile(source) };
  } catch (err) {
    return { ok: false, reason: `is not a pattern stepcd can match in linear time (RE2 syntax: no backreferences or lookaround): ${(err as Error).message}` };
  }
}

function isRegex(pattern: string): boolean {
  return pattern.startsWith('^') || pattern.endsWith('$');
}

function globSource(pattern: string): string {
  const glob = pattern.replace(/^\.\//, '').replace(/^\/+/, '').replace(/\/+$/, '');
  if (glob === '' || glob === '.') return '';
  return `^${globToRegex(glob)}(?:/.*)?$`;
}

function globToRegex(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        // `**/` also matches zero directories: `a/**/b` matches `a/b`.
        if (glob[i + 2] === '/') {
          out += '(?:.*/)?';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else {
        out += '[^/]*';
      }
    } else if (ch === '?') {
      out += '[^/]';
    } else {
      out += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return out;
}
