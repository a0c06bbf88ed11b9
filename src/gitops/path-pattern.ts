/**
 * `trigger.onCommit.{paths, ignores}` patterns, relative to the repository root as in PipeCD.
 *
 * - A glob: `*` and `?` stay within one path segment, `**` crosses segments. A pattern also covers
 *   everything beneath it, so `shared/lib` matches `shared/lib/a.ts` (PipeCD's file matcher does the same).
 * - A regular expression, when the pattern is anchored with `^` or `$`: `^services/(api|web)/`.
 */
export type PathMatcher = (path: string) => boolean;

export function compilePattern(pattern: string): PathMatcher {
  const trimmed = pattern.trim();
  if (trimmed.startsWith('^') || trimmed.endsWith('$')) {
    const re = new RegExp(trimmed);
    return (path) => re.test(path);
  }
  const glob = trimmed.replace(/^\.\//, '').replace(/^\/+/, '').replace(/\/+$/, '');
  if (glob === '' || glob === '.') return () => true;
  const re = new RegExp(`^${globToRegex(glob)}(?:/.*)?$`);
  return (path) => re.test(path);
}

export function compilePatterns(patterns: readonly string[]): PathMatcher {
  const matchers = patterns.map(compilePattern);
  return (path) => matchers.some((m) => m(path));
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
