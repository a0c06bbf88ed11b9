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
  /** Read only for `STEPCD_USER`, `USER` and `AWS_REGION`: src/config stays the reader for Lambdas. */
  env: Record<string, string | undefined>;
  /** Ends long-running commands (`stepcd local`) cleanly; the real CLI aborts it on SIGINT. */
  signal?: AbortSignal;
}

export interface TextSink {
  write(text: string): unknown;
}

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, grey: 90, bold: 1 } as const;
export type Colour = keyof typeof CODES;

/**
 * Human output for people and `--json` for machines. Colours only on a TTY, so piped output and
 * tests see plain text; stack traces only with `--debug`.
 */
export class Output {
  constructor(
    private readonly io: CliIo,
    readonly json: boolean,
    private readonly debug: boolean,
  ) {}

  /** One line of human output; suppressed under `--json`, where only `data` is written. */
  line(text = ''): void {
    if (!this.json) this.io.stdout.write(`${text}\n`);
  }

  /** The one JSON document a `--json` command prints. */
  data(value: unknown): void {
    if (this.json) this.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  paint(colour: Colour, text: string): string {
    return this.io.isTTY ? `\u001b[${CODES[colour]}m${text}\u001b[0m` : text;
  }

  /** Progress for long operations goes to stderr, so `--json` stdout stays one clean document. */
  progress(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }

  /**
   * Reports a failure as one line that says what to do. Expected errors (usage, stepcd's own typed
   * errors) print their message; anything else is a bug and says how to see more.
   */
  error(err: unknown): void {
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
