import { userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cancelCommand } from './cancel.js';
import { resolveTarget, type Target, type TargetFlags } from './context.js';
import { dashboardCommand } from './dashboard.js';
import { decideCommand } from './decide.js';
import { demoCommand } from './demo.js';
import { driftCommand } from './drift.js';
import { encryptCommand } from './encrypt.js';
import { listCommand, showCommand } from './deployments.js';
import { CliError, usageError } from './errors.js';
import { localCommand } from './local.js';
import { logsCommand } from './logs.js';
import { Output, type CliIo } from './output.js';
import { planCommand } from './plan.js';
import { rollbackCommand } from './rollback.js';
import { syncCommand } from './sync.js';
import { approverList, validateCommand, validateFormat } from './validate.js';
import { statusCommand } from './status.js';
import { waitCommand } from './wait.js';

export const USAGE = `stepcd: serverless GitOps progressive delivery for Amazon ECS

Usage:
  stepcd validate [dir]                 lint every app manifest under dir (default .)
        [--format text|github|sarif]    github: workflow annotations; sarif: a SARIF 2.1.0 log
        [--approvers U1,U2]             the stack's approver allowlist ('' for none): an approval
                                        stage that names no approvers is then NG if nobody may decide
  stepcd plan <app-dir>                 diff an app against its live service and show the strategy
  stepcd deployments list [--app X]     active deployments, or the history of app X
  stepcd deployments show <id>          stage timeline, approvers and errors
  stepcd logs <id> [--raw]              the execution's history per stage, with durations; --raw: every event
  stepcd status <app>                   live task sets, listener weights, deployed commit and drift
  stepcd drift [app] [--check]          drift from the last good deployment; --check runs it now (--local)
  stepcd wait <id> [--timeout 30m]      follow a deployment; exit 0 on SUCCESS, 1 otherwise
  stepcd approve <id> [--as U]          approve the open WAIT_APPROVAL stage
  stepcd reject <id> [--as U]           reject it (the deployment rolls back)
  stepcd cancel <id>                    cancel a running deployment (it rolls back)
  stepcd sync <app> [--commit SHA]      deploy the app at the branch head (or that commit) as a push would
  stepcd rollback <app> [--to ID] [--quick]  redeploy the last good (or that) deployment's plan
  stepcd dashboard [--port N]           the web UI on 127.0.0.1 (default port 8090)
  stepcd local [repo-dir]               run the local cloud, watching a manifests repo
  stepcd demo [--yes]                   the whole canary pipeline on the local cloud
  stepcd encrypt                        encrypt stdin with the stack's KMS key (spec.encryption)

Target (every command but validate, local and demo):
  --local                               the stack \`stepcd local\` runs in this directory
  --stage S [--region R] [--profile P]  the AWS stack deployed as stage S

Options:
  --json     machine-readable output     --debug    stack traces and logs
  --as NAME  display name next to the recorded actor, your AWS identity (default STEPCD_USER, then the OS user)
  --yes      demo: approve without asking
`;

const OPTIONS = {
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
  local: { type: 'boolean' },
  stage: { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  app: { type: 'string' },
  limit: { type: 'string' },
  as: { type: 'string' },
  reason: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  port: { type: 'string' },
  branch: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  format: { type: 'string' },
  timeout: { type: 'string' },
  approvers: { type: 'string' },
  raw: { type: 'boolean' },
  check: { type: 'boolean' },
  commit: { type: 'string' },
  to: { type: 'string' },
  quick: { type: 'boolean' },
} as const;

type Flags = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
}

/**
 * The whole CLI as a function: `argv` without `node` and the script, streams and environment from
 * `io`. Returns the exit code: 0 done, 1 failed (NG checks, a failed deployment, an error), 2 usage.
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parse(argv);
  } catch (err) {
    new Output(io, false, false).error(usageError((err as Error).message));
    return 2;
  }
  const { values: flags, positionals } = parsed;
  const out = new Output(io, flags.json === true, flags.debug === true);
  const [command, ...args] = positionals;
  if (!command || command === 'help' || flags.help) {
    io.stdout.write(USAGE);
    return command || flags.help ? 0 : 2;
  }
  try {
    return await dispatch(command, args, flags, out, io);
  } catch (err) {
    out.error(err);
    return err instanceof CliError ? err.exitCode : 1;
  }
}

async function dispatch(command: string, args: string[], flags: Flags, out: Output, io: CliIo): Promise<number> {
  const target = () => resolveTarget(targetFlags(flags), io);
  switch (command) {
    case 'validate':
      return validateCommand(
        {
          dir: args[0] ?? '.',
          format: validateFormat(flags.format),
          ...(flags.approvers !== undefined ? { stackApprovers: approverList(flags.approvers) } : {}),
        },
        out,
        io,
      );
    case 'wait':
      return withTarget(target, (t) =>
        waitCommand({ deploymentId: required(args[0], 'wait <id>'), ...(flags.timeout ? { timeout: flags.timeout } : {}) }, t, out, io),
      );
    case 'plan':
      return withTarget(target, (t) => planCommand({ appDir: required(args[0], 'plan <app-dir>') }, t, out, io));
    case 'deployments': {
      const [sub, id] = args;
      if (sub === 'list')
        return withTarget(target, (t) => listCommand({ ...(flags.app ? { app: flags.app } : {}), limit: intFlag(flags.limit, 'limit', 20) }, t, out));
      if (sub === 'show') return withTarget(target, (t) => showCommand({ deploymentId: required(id, 'deployments show <id>') }, t, out));
      throw usageError(`unknown subcommand: deployments ${sub ?? ''}`.trim(), 'use `deployments list` or `deployments show <id>`');
    }
    case 'logs':
      return withTarget(target, (t) => logsCommand({ deploymentId: required(args[0], 'logs <id>'), raw: flags.raw === true }, t, out));
    case 'status':
      return withTarget(target, (t) => statusCommand({ app: required(args[0], 'status <app>') }, t, out));
    case 'drift':
      return withTarget(target, (t) => driftCommand({ ...(args[0] ? { app: args[0] } : {}), check: flags.check === true }, t, out));
    case 'approve':
    case 'reject':
      return withTarget(target, (t) =>
        decideCommand(
          {
            decision: command,
            deploymentId: required(args[0], `${command} <id>`),
            user: approver(flags, io),
            ...(flags.reason ? { reason: flags.reason } : {}),
          },
          t,
          out,
        ),
      );
    case 'cancel':
      return withTarget(target, (t) => cancelCommand({ deploymentId: required(args[0], 'cancel <id>'), user: approver(flags, io) }, t, out));
    case 'sync':
      return withTarget(target, (t) =>
        syncCommand(
          {
            app: required(args[0], 'sync <app>'),
            ...(flags.commit ? { commit: flags.commit } : {}),
            ...(flags.approvers !== undefined ? { stackApprovers: approverList(flags.approvers) } : {}),
            user: approver(flags, io),
          },
          t,
          out,
          io,
        ),
      );
    case 'rollback':
      return withTarget(target, (t) =>
        rollbackCommand(
          { app: required(args[0], 'rollback <app>'), ...(flags.to ? { to: flags.to } : {}), quick: flags.quick === true, user: approver(flags, io) },
          t,
          out,
        ),
      );
    case 'dashboard':
      return withTarget(target, (t) =>
        dashboardCommand({ ...(flags.port ? { port: intFlag(flags.port, 'port', 0) } : {}), ...(flags.stage ? { stage: flags.stage } : {}) }, t, out, io),
      );
    case 'local':
      return localCommand(
        { repoDir: args[0] ?? '.', ...(flags.port ? { port: intFlag(flags.port, 'port', 0) } : {}), branch: flags.branch ?? 'main' },
        out,
        io,
      );
    case 'encrypt':
      return encryptCommand(targetFlags(flags), out, io);
    case 'demo':
      return demoCommand({ yes: flags.yes === true, user: approver(flags, io) }, out, io);
    default:
      throw usageError(`unknown command: ${command}`);
  }
}

async function withTarget(make: () => Promise<Target>, fn: (t: Target) => Promise<number>): Promise<number> {
  const target = await make();
  try {
    return await fn(target);
  } finally {
    target.close();
  }
}

function targetFlags(flags: Flags): TargetFlags {
  return {
    ...(flags.local ? { local: true } : {}),
    ...(flags.stage ? { stage: flags.stage } : {}),
    ...(flags.region ? { region: flags.region } : {}),
    ...(flags.profile ? { profile: flags.profile } : {}),
    ...(flags.debug ? { debug: true } : {}),
  };
}

function required(value: string | undefined, usage: string): string {
  if (!value) throw usageError(`missing argument: stepcd ${usage}`);
  return value;
}

function intFlag(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw usageError(`--${name} must be a whole number, got ${value}`);
  return n;
}

/** Who approves: `--as`, else STEPCD_USER, else the OS user (the Slack user id is what approvers lists hold). */
function approver(flags: Flags, io: CliIo): string {
  return flags.as ?? io.env.STEPCD_USER ?? io.env.USER ?? safeUserName();
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'cli';
  }
}

/** The real process: stdio, the process env, Ctrl-C ends long-running commands cleanly. */
export async function main(): Promise<void> {
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
