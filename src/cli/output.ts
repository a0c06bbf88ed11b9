import { PassThrough } from 'node:stream';
import { styleText } from 'node:util';
import { wantsColour } from '../config/cli-defaults.js';
import { StepcdError } from '../errors.js';
import { CliError } from './errors.js';

/** What a command may touch of the outside world; tests pass their own streams, cwd and env. */
export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  /** For the demo's approval question; absent means "never ask". */
  stdin?: NodeJS.ReadableStream;
  /** Colours, progress and questions only on a terminal. */
  isTTY: boolean;
  cwd: string;
  /**
   * Read only for `STEPCD_USER`, `USER`, `NO_COLOR` and the target defaults (src/config/cli-defaults):
   * src/config stays the reader for Lambdas.
   */
  env: Record<string, string | undefined>;
  /** Ends long-running commands (`stepcd local`) cleanly; the real CLI aborts it on SIGINT. */
  signal?: AbortSignal;
}

export interface TextSink {
  write(text: string): unknown;
}

export type Colour = 'red' | 'green' | 'yellow' | 'blue' | 'magenta' | 'cyan' | 'grey' | 'bold';

/**
 * Newer Node versions (22.13, 23.5, and the latest 20.x) made styleText check a stream (process.stdout)
 * and the environment itself unless told not to; the CLI decides from its own io (tests pass theirs),
 * so it opts out where the option exists. Older ones have no options and always style. Probed once,
 * not read from the version: a plain result for a non-TTY stream means the option is there.
 */
const style = styleText as (format: Colour, text: string, options?: { validateStream?: boolean; stream?: NodeJS.WritableStream }) => string;
const STYLE_OPTIONS = style('red', 'x', { stream: new PassThrough() }) === 'x' ? { validateStream: false } : undefined;

/**
 * Human output for people and `--json` for machines. Colours only on a TTY without NO_COLOR, so
 * piped output and tests see plain text; stack traces only with `--debug`.
 */
export class Output {
  /** Whether `paint` styles: a terminal, and NO_COLOR unset. */
  readonly colour: boolean;

  constructor(
    private readonly io: CliIo,
    readonly json: boolean,
    private readonly debug: boolean,
  ) {
    this.colour = wantsColour(io.env, io.isTTY);
  }

  /** One line of human output; suppressed under `--json`, where only `data` is written. */
  line(text = ''): void {
    if (!this.json) this.io.stdout.write(`${text}\n`);
  }

  /** The one JSON document a `--json` command prints. */
  data(value: unknown): void {
    if (this.json) this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  paint(colour: Colour, text: string): string {
    return this.colour ? style(colour, text, STYLE_OPTIONS) : text;
  }

  /** Progress for long operations goes to stderr, so `--json` stdout stays one clean document. */
  progress(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }

  /**
   * Reports a failure as one line that says what to do. Expected errors (usage, stepcd's own typed
   * errors) print their message; anything else is a bug and says how to see more. Under `--json` it
   * is one JSON document on stderr instead, so a script reads errors the way it reads results.
   */
  error(err: unknown): void {
    if (this.json) {
      this.io.stderr.write(`${JSON.stringify({ error: errorJson(err) })}\n`);
      return;
    }
    const message = errorLine(err);
    this.io.stderr.write(`${this.paint('red', 'error:')} ${message}\n`);
    if (this.debug && err instanceof Error && err.stack) {
      this.io.stderr.write(`${err.stack}\n`);
      if (err.cause instanceof Error && err.cause.stack) this.io.stderr.write(`caused by: ${err.cause.stack}\n`);
    }
  }
}

export function errorLine(err: unknown): string {
  if (err instanceof CliError) return err.hint ? `${err.message} (${err.hint})` : err.message;
  if (err instanceof StepcdError) return `${err.message.split('\n')[0]}`;
  const e = err as { name?: string; message?: string; code?: string };
  if (e?.code === 'ECONNREFUSED') {
    return 'cannot reach the stack: for --local, is `stepcd local` still running in this directory? (run again with --debug for details)';
  }
  return `${e?.name ?? 'Error'}: ${(e?.message ?? String(err)).split('\n')[0]} (run again with --debug for the stack trace)`;
}

/** The `--json` form of an error: its name, its first line and, for a CLI mistake, what to do. */
export function errorJson(err: unknown): { name: string; message: string; hint?: string } {
  const e = err as { name?: unknown; message?: unknown };
  const name = typeof e?.name === 'string' ? e.name : 'Error';
  const message = (typeof e?.message === 'string' ? e.message : String(err)).split('\n')[0] ?? '';
  return err instanceof CliError && err.hint ? { name, message, hint: err.hint } : { name, message };
}

/** `12s`, `3m05s`, `1h02m`: elapsed times in progress lines and timelines. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** A plain fixed-width table; cells are not coloured, so widths are right on a TTY too. */
export function table(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [fmt(headers), ...rows.map(fmt)];
}
