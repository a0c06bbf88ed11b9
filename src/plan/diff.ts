/** One changed field between what is live and what the manifest asks for. */
export interface FieldChange {
  path: string;
  op: '+' | '-' | '~';
  live?: unknown;
  desired?: unknown;
}

/**
 * Pure: the fields the manifest sets that differ from the live object. Only keys the desired side
 * names are compared, because AWS adds many of its own (ARNs, revision, status, registeredAt) that a
 * manifest never states; arrays compare by position, as ECS keeps their order.
 */
export function diffDesired(live: unknown, desired: unknown, path = ''): FieldChange[] {
  if (isObject(desired)) {
    const liveObj = isObject(live) ? live : undefined;
    if (!liveObj) return live === undefined ? [{ path: path || '.', op: '+', desired }] : [{ path: path || '.', op: '~', live, desired }];
    return Object.keys(desired)
      .sort()
      .flatMap((k) => diffDesired(liveObj[k], desired[k], path ? `${path}.${k}` : k));
  }
  if (Array.isArray(desired)) {
    if (!Array.isArray(live)) return live === undefined ? [{ path, op: '+', desired }] : [{ path, op: '~', live, desired }];
    const changes = desired.flatMap((d, i) => diffDesired(live[i], d, `${path}[${i}]`));
    for (let i = desired.length; i < live.length; i++) changes.push({ path: `${path}[${i}]`, op: '-', live: live[i] });
    return changes;
  }
  if (live === undefined) return desired === undefined ? [] : [{ path, op: '+', desired }];
  // ECS returns numbers where manifests often write strings ("256" CPU units), and the reverse.
  if (String(live) === String(desired)) return [];
  return [{ path, op: '~', live, desired }];
}

export function formatChange(c: FieldChange): string {
  if (c.op === '+') return `+ ${c.path}: ${show(c.desired)}`;
  if (c.op === '-') return `- ${c.path}: ${show(c.live)}`;
  return `~ ${c.path}: ${show(c.live)} → ${show(c.desired)}`;
}

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
