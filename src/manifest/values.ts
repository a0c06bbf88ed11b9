/**
 * Parsers for the scalar formats PipeCD manifests use. They return a value or a reason; callers turn the
 * reason into a ManifestIssue with the field path, so users see every bad value at once.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const PERCENT = /^\s*(\d+)\s*%?\s*$/;

/** PipeCD percentages: `30`, `"30"` and `"30%"` are the same; whole numbers 0–100 only. */
export function parsePercentage(raw: unknown): Parsed<number> {
  let n: number | undefined;
  if (typeof raw === 'number') n = raw;
  else if (typeof raw === 'string') {
    const m = PERCENT.exec(raw);
    if (m?.[1] !== undefined) n = Number(m[1]);
  }
  if (n === undefined || !Number.isFinite(n)) {
    return { ok: false, reason: `must be a percentage such as 30, "30" or "30%" (got ${show(raw)})` };
  }
  if (!Number.isInteger(n)) return { ok: false, reason: `must be a whole percentage (got ${show(raw)})` };
  if (n < 0 || n > 100) return { ok: false, reason: `must be between 0 and 100 (got ${show(raw)})` };
  return { ok: true, value: n };
}

const UNIT_SECONDS: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  μs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/**
 * Go's time.ParseDuration syntax (`150s`, `5m`, `1h30m`, `1.5h`, `300ms`), converted to whole seconds,
 * rounding up: Step Functions waits in seconds and a sub-second wait must not become zero.
 * A bare number is refused, as in Go ("0" alone is allowed there, and here).
 */
export function parseDuration(raw: unknown): Parsed<number> {
  const bad: Parsed<number> = {
    ok: false,
    reason: `must be a duration such as "30s", "5m" or "1h30m" (got ${show(raw)})`,
  };
  if (typeof raw !== 'string') return bad;
  const text = raw.trim();
  if (text === '0') return { ok: true, value: 0 };
  if (text === '') return bad;
  let seconds = 0;
  DURATION_PART.lastIndex = 0;
  while (DURATION_PART.lastIndex < text.length) {
    const m = DURATION_PART.exec(text);
    if (!m?.[1] || !m[2]) return bad;
    seconds += Number(m[1]) * (UNIT_SECONDS[m[2]] ?? Number.NaN);
  }
  if (!Number.isFinite(seconds)) return bad;
  // Floating error in e.g. 0.1h must not round 360.00000000000006 up to 361.
  return { ok: true, value: Math.ceil(Number(seconds.toFixed(6))) };
}

/** A short, safe rendering of a user value for messages. */
export function show(raw: unknown): string {
  if (raw === undefined) return 'nothing';
  if (raw === null) return 'null';
  if (typeof raw === 'string') return JSON.stringify(raw.length > 60 ? `${raw.slice(0, 57)}...` : raw);
  if (Array.isArray(raw)) return 'a list';
  if (typeof raw === 'object') return 'an object';
  return String(raw);
}
