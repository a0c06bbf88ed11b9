import { readFileSync } from 'node:fs';
import { Argument, Command, CommanderError, Option } from 'commander';
import { type ArgSpec, COMMANDS, type CommandSpec, type FlagSpec, type Flags, GLOBAL_FLAGS, GROUPS, TARGET_FLAGS } from './commands.js';
import { CliError, usageError } from './errors.js';
import type { CliIo, Output } from './output.js';

/** package.json's version, which `stepcd --version` prints. */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** The program help's last words: how to pick a stack, and where each command's details are. */
function targetsHelp(commands: CommandSpec[]): string {
  const untargeted = commands.filter((c) => !c.target).map((c) => c.name);
  return `
Target (every command but ${untargeted.join(', ')}):
  --local                               the stack \`stepcd local\` runs in this directory
  --stage S [--region R] [--profile P]  the AWS stack deployed as stage S
  Defaults: STEPCD_STAGE and STEPCD_REGION, then a .stepcd file (stage:, region:, profile:) in this
  folder or the nearest parent. A flag beats the environment, which beats the file; --local takes none.

Run \`stepcd <command> --help\` (or \`stepcd help <command>\`) for a command's arguments and flags.`;
}

/** What the program calls when a command's line parsed: the command, its arguments and its flags. */
export type OnCommand = (spec: CommandSpec, args: Record<string, string | undefined>, flags: Flags) => Promise<void>;

/**
 * The commander program of the command table. A new one per run: commander keeps parsed state on
 * the program, and tests run the CLI many times in one process. It never exits the process and
 * never prints a parse error itself; both come back as thrown errors for `run` to report.
 */
export function buildProgram(io: CliIo, out: Output, onCommand: OnCommand, commands: CommandSpec[] = COMMANDS): Command {
  const program = new Command('stepcd')
    .description('serverless GitOps progressive delivery for Amazon ECS')
    .version(VERSION, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand('help [command]', 'show help for a command')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: () => undefined,
      getOutHasColors: () => out.colour,
      getErrHasColors: () => out.colour,
    })
    .configureHelp({ showGlobalOptions: true, styleTitle: (s) => out.paint('bold', s) })
    .showSuggestionAfterError(true)
    .exitOverride(exitAs(undefined))
    .addHelpText('after', targetsHelp(commands));
  for (const flag of GLOBAL_FLAGS) program.addOption(option(flag, undefined));

  const groups = new Map<string, Command>();
  for (const spec of commands) {
    const words = spec.name.split(' ');
    const leaf = words.pop()!;
    let parent = program;
    for (const word of words) parent = groups.get(word) ?? group(parent, word, groups);
    const command = parent.command(leaf).description(spec.summary).exitOverride(exitAs(spec.name));
    for (const arg of spec.args ?? []) command.addArgument(argument(arg));
    for (const flag of [...(spec.flags ?? []), ...(spec.target ? TARGET_FLAGS : [])]) command.addOption(option(flag, spec.name));
    command.action(() => onCommand(spec, argumentsOf(command, spec.args ?? []), command.optsWithGlobals<Flags>()));
  }
  return program;
}

function group(parent: Command, name: string, groups: Map<string, Command>): Command {
  const command = parent
    .command(name)
    .description(GROUPS[name] ?? name)
    .exitOverride(exitAs(name));
  groups.set(name, command);
  return command;
}

function option(flag: FlagSpec, path: string | undefined): Option {
  const o = new Option(flag.flags, flag.description);
  const parse = flag.parse;
  if (!parse) return o;
  return o.argParser((value: string) => {
    try {
      return parse(value);
    } catch (err) {
      // The parser says what is wrong with the value; where to read about the flag depends on the command.
      if (err instanceof CliError && err.exitCode === 2) throw usageError(err.message, helpHint(path));
      throw err;
    }
  });
}

function helpHint(path: string | undefined): string {
  return `see \`stepcd ${path ? `${path} ` : ''}--help\``;
}

function argument(arg: ArgSpec): Argument {
  const a = new Argument(arg.required ? `<${arg.name}>` : `[${arg.name}]`, arg.description);
  return arg.default === undefined ? a : a.default(arg.default);
}

function argumentsOf(command: Command, args: ArgSpec[]): Record<string, string | undefined> {
  return Object.fromEntries(args.map((a, i) => [a.name, command.processedArgs[i] as string | undefined]));
}

/**
 * Commander's exits, as errors: help and version shown stay a CommanderError with exit code 0; help
 * shown because a command was missing exits 2; a parse error becomes stepcd's one-line usage error
 * (exit 2), with commander's suggestion ("Did you mean …?") as its hint, or else where to read more.
 */
function exitAs(path: string | undefined) {
  return (err: CommanderError): never => {
    if (err.exitCode === 0) throw err;
    if (err.code === 'commander.help') throw new CommanderError(2, err.code, err.message);
    const [first = '', ...rest] = err.message.split('\n');
    const suggestion = /^\((.*)\)$/.exec(rest.join(' ').trim())?.[1];
    throw usageError(first.replace(/^error: /, ''), suggestion ?? helpHint(path));
  };
}
