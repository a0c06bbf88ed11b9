/**
 * Reads a simple reference path (`$`, `$.a.b`, `$.a[0].c`, `$['a']`) against a JSON value, as Wait
 * states' SecondsPath and TimestampPath and tasks' TimeoutSecondsPath use them. Returns undefined when
 * any step is missing; throws on a path outside that subset, since guessing would hide a typo.
 */
export function readPath(value: unknown, path: string): unknown {
  if (!path.startsWith('$')) throw new Error(`unsupported path '${path}': must start with $`);
  const steps = parseSteps(path.slice(1), path);
  let current: unknown = value;
  for (const step of steps) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

function parseSteps(rest: string, path: string): Array<string | number> {
  const steps: Array<string | number> = [];
  const token = /\.([A-Za-z0-9_$-]+)|\[(\d+)\]|\['([^']*)'\]/y;
  let at = 0;
  while (at < rest.length) {
    token.lastIndex = at;
    const m = token.exec(rest);
    if (!m) throw new Error(`unsupported path '${path}' at '${rest.slice(at)}'`);
    if (m[1] !== undefined) steps.push(m[1]);
    else if (m[2] !== undefined) steps.push(Number(m[2]));
    else steps.push(m[3] ?? '');
    at = token.lastIndex;
  }
  return steps;
}
