import { fileURLToPath } from 'node:url';
import { CommanderError } from 'commander';
import { CliError } from './errors.js';
import { Output, type CliIo } from './output.js';
import { buildProgram } from './program.js';

/**
 * The whole CLI as a function: `argv` without `node` and the script, streams and environment from
 * `io`. Returns the exit code: 0 done, 1 failed (NG checks, a failed deployment, an error), 2 usage.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  // Before the line parses, its flags are only known by sight: a usage error under --json is JSON too.
  let out = new Output(io, seen(argv, '--json'), seen(argv, '--debug'));
  let code = 0;
  const program = buildProgram(io, out, async (spec, args, flags) => {
    out = new Output(io, flags.json === true, flags.debug === true);
    code = await spec.run({ args, flags, out, io });
  });
  try {
    await program.parseAsync(helpFor(argv), { from: 'user' });
    return code;
  } catch (err) {
    // Help or version printed (0), or help printed for a missing command (2): nothing more to say.
    if (err instanceof CommanderError) return err.exitCode;
    out.error(err);
    return err instanceof CliError ? err.exitCode : 1;
  }
}

/** `stepcd help deployments list` is `stepcd deployments list --help`: commander's help command takes one word. */
function helpFor(argv: string[]): string[] {
  return argv[0] === 'help' && argv.length > 1 ? [...argv.slice(1), '--help'] : argv;
}

function seen(argv: string[], flag: string): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes(flag);
}

/** The real process: stdio, the process env, Ctrl-C ends long-running commands cleanly. */
export async function main(): Promise<void> {
  // `stepcd deployments list | head -1`: the reader left, so there is nobody to tell; end quietly.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
      process.exit(0);
    });
  }
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  const code = await run(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    isTTY: process.stdout.isTTY === true,
    cwd: process.cwd(),
    env: process.env,
    signal: controller.signal,
  });
  process.exitCode = code;
  // A keep-alive socket of an SDK client must not hold the process open once the command is done.
  setTimeout(() => process.exit(code), 200).unref();
}

// `tsx src/cli/main.ts` (npm start); bin/stepcd.mjs imports this module and calls main() itself.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) void main();
