import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

/** 1-based, as editors, GitHub annotations and SARIF count. */
export interface Position {
  line: number;
  column: number;
}

/** `spec.pipeline.stages[2].with` → `['spec', 'pipeline', 'stages', 2, 'with']`. */
export function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  // One left-to-right scan: linear in the path, whatever the user wrote.
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}

/**
 * Where a field path sits in a YAML (or JSON: YAML 1.2 reads it) document: the key of the deepest
 * field that exists, so a missing `deploymentController.type` points at `deploymentController`,
 * and a wrong value points at its key. The document start when nothing of the path is there.
 */
export function locatePath(text: string, path: string): Position {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: false });
  let node: unknown = doc.contents;
  let offset = firstContent(node);
  for (const segment of pathSegments(path)) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  const { line, col } = counter.linePos(offset);
  return { line, column: col };
}

function firstContent(node: unknown): number {
  return (node as Node | null)?.range?.[0] ?? 0;
}
