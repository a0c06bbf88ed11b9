import { afterAll } from 'vitest';

/** One row of the reliability summary: a case tried, and whether its invariants held. */
export interface CaseResult {
  suite: string;
  name: string;
  held: boolean;
  note: string;
}

/**
 * Collects the cases of one test file and prints "cases tried / held" after it (vitest runs each
 * file in its own fork, so the table is per file). `track` records a case as held only if its body,
 * assertions included, completes; a failing case is recorded and its error rethrown.
 */
export function createSummary(suite: string) {
  const rows: CaseResult[] = [];
  afterAll(() => {
    console.log(formatSummary(suite, rows));
  });
  return {
    rows,
    async track<T>(name: string, note: string, body: () => Promise<T>): Promise<T> {
      try {
        const out = await body();
        rows.push({ suite, name, held: true, note });
        return out;
      } catch (err) {
        rows.push({ suite, name, held: false, note: `${note}${note ? '; ' : ''}${(err as Error).message.split('\n')[0]}` });
        throw err;
      }
    },
  };
}

export function formatSummary(suite: string, rows: readonly CaseResult[]): string {
  const held = rows.filter((r) => r.held).length;
  const nameWidth = Math.min(70, Math.max(4, ...rows.map((r) => r.name.length)));
  const lines = rows.map((r) => `${r.held ? 'held  ' : 'BROKEN'}  ${r.name.padEnd(nameWidth).slice(0, nameWidth)}  ${r.note}`);
  return [`── reliability: ${suite} ── cases tried ${rows.length} / held ${held}`, ...lines, `── ${suite}: ${held}/${rows.length} held`].join('\n');
}
