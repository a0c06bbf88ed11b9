import { parseDuration } from '../manifest/index.js';
import { usageError } from './errors.js';

/**
 * Commander argParsers: each turns a flag's text into its value or refuses it. They throw stepcd's
 * own usage error (not commander's InvalidArgumentError), so the refusal is the one line the CLI
 * prints for every usage mistake, exit 2, with the flag named.
 */

/** A TCP port to listen on; 0 asks the OS for a free one. */
export function portFlag(value: string): number {
  const n = wholeNumber('--port', value);
  if (n > 65_535) throw usageError(`--port must be a whole number from 0 to 65535, got ${value}`);
  return n;
}

/** How many history rows to read. */
export function limitFlag(value: string): number {
  const n = wholeNumber('--limit', value);
  if (n < 1) throw usageError(`--limit must be at least 1, got ${value}`);
  return n;
}

/** A Go-style duration (`30m`, `1h30m`), kept as written: commands print it back. */
export function durationFlag(name: string): (value: string) => string {
  return (value) => {
    const parsed = parseDuration(value);
    if (!parsed.ok) throw usageError(`${name} ${parsed.reason}`);
    if (parsed.value <= 0) throw usageError(`${name} must be more than 0, got ${value}`);
    return value;
  };
}

/** One of a fixed set of words. */
export function choiceFlag<T extends string>(name: string, choices: readonly T[]): (value: string) => T {
  return (value) => {
    if ((choices as readonly string[]).includes(value)) return value as T;
    throw usageError(`${name} must be one of ${choices.join(', ')}, got ${value}`);
  };
}

function wholeNumber(name: string, value: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw usageError(`${name} must be a whole number, got ${value}`);
  return n;
}
