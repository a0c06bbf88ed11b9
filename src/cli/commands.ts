import { userInfo } from 'node:os';
import { resolveTargetChoice, type TargetChoice } from '../config/cli-defaults.js';
import { cancelCommand } from './cancel.js';
import { resolveTarget, type Target } from './context.js';
import { DEFAULT_DASHBOARD_PORT, dashboardCommand } from './dashboard.js';
import { decideCommand } from './decide.js';
import { demoCommand } from './demo.js';
import { listCommand, showCommand } from './deployments.js';
import { driftCommand } from './drift.js';
import { encryptCommand } from './encrypt.js';
import { choiceFlag, durationFlag, limitFlag, portFlag } from './flag-parsers.js';
import { localCommand } from './local.js';
import { logsCommand } from './logs.js';
import type { CliIo, Output } from './output.js';
import { planCommand } from './plan.js';
import { rollbackCommand } from './rollback.js';
import { statusCommand } from './status.js';
import { syncCommand } from './sync.js';
import { approverList, VALIDATE_FORMATS, type ValidateFormat, validateCommand } from './validate.js';
import { waitCommand } from './wait.js';

/** A flag as commander spells it (`--port <n>`, `-y, --yes`), what it does, and how its value is read. */
export interface FlagSpec {
  flags: string;
  description: string;
  parse?: (value: string) => unknown;
}

/** A positional argument: `<id>` when required, `[dir]` when not. */
export interface ArgSpec {
  name: string;
  description: string;
  required?: boolean;
  default?: string;
}

/** Every flag's value after parsing; a command reads the ones it declares. */
export interface Flags {
  json?: boolean;
  debug?: boolean;
  local?: boolean;
  stage?: string;
  region?: string;
  profile?: string;
  app?: string;
  limit?: number;
  as?: string;
  reason?: string;
  yes?: boolean;
  port?: number;
  branch?: string;
  format?: ValidateFormat;
  timeout?: string;
  approvers?: string;
  raw?: boolean;
  check?: boolean;
  commit?: string;
  to?: string;
  quick?: boolean;
}

export interface CommandInput {
  args: Record<string, string | undefined>;
  flags: Flags;
  out: Output;
  io: CliIo;
}

export interface CommandSpec {
  /** `validate`, or `deployments list` for a subcommand of a group. */
  name: string;
  summary: string;
  args?: ArgSpec[];
  flags?: FlagSpec[];
  /** Acts on a stack: takes the target flags (`--local`, `--stage`, …) and the `.stepcd` defaults. */
  target?: boolean;
  run(input: CommandInput): Promise<number>;
}

/** Flags every command takes (the program's own, shown in each command's help). */
export const GLOBAL_FLAGS: FlagSpec[] = [
  { flags: '--json', description: 'machine-readable output: one JSON document on stdout, errors as JSON on stderr' },
  { flags: '--debug', description: 'stack traces and logs' },
];

/** Flags that pick the stack a command acts on. */
export const TARGET_FLAGS: FlagSpec[] = [
  { flags: '--local', description: 'the stack `stepcd local` runs in this directory (ignores STEPCD_* and .stepcd defaults)' },
  { flags: '--stage <stage>', description: 'the AWS stack deployed as this stage (default STEPCD_STAGE, then .stepcd)' },
  { flags: '--region <region>', description: 'its AWS region (default STEPCD_REGION, AWS_REGION, then .stepcd)' },
  { flags: '--profile <profile>', description: 'the AWS profile to sign with (default AWS_PROFILE, then .stepcd)' },
];

const AS_FLAG: FlagSpec = {
  flags: '--as <name>',
  description: 'display name next to the recorded actor, your AWS identity (default STEPCD_USER, then the OS user)',
};
const ID_ARG: ArgSpec = { name: 'id', description: 'the deployment id (d-…)', required: true };

/** Summaries of command groups, whose subcommands are entries of COMMANDS. */
export const GROUPS: Record<string, string> = {
  deployments: 'list deployments and show one',
};

/** The whole CLI: registering a command is one entry here. */
export const COMMANDS: CommandSpec[] = [
  {
    name: 'validate',
    summary: 'lint every app manifest under dir; exit 1 on any NG check',
    args: [{ name: 'dir', description: 'the folder to search for app.pipecd.yaml files', default: '.' }],
    flags: [
      {
        flags: '--format <format>',
        description: `${VALIDATE_FORMATS.join('|')} (default text); github: workflow annotations, sarif: a SARIF 2.1.0 log`,
        parse: choiceFlag('--format', VALIDATE_FORMATS),
      },
      {
        flags: '--approvers <ids>',
        description: "the stack's approver allowlist, comma-separated ('' for none): an approval stage naming none is then NG",
      },
    ],
    run: ({ args, flags, out, io }) =>
      validateCommand(
        {
          dir: args.dir ?? '.',
          format: flags.format ?? 'text',
          ...(flags.approvers !== undefined ? { stackApprovers: approverList(flags.approvers) } : {}),
        },
        out,
        io,
      ),
  },
  {
    name: 'plan',
    summary: 'diff an app against its live service and show the strategy',
    args: [{ name: 'app-dir', description: 'the folder of the app.pipecd.yaml', required: true }],
    target: true,
    run: (input) => withTarget(input, (t) => planCommand({ appDir: input.args['app-dir']! }, t, input.out, input.io)),
  },
  {
    name: 'deployments list',
    summary: 'deployments in progress, or the history of one app',
    flags: [
      { flags: '--app <name>', description: "that app's history, newest first, instead of what is in progress" },
      { flags: '--limit <n>', description: 'how many of the history to show (default 20)', parse: limitFlag },
    ],
    target: true,
    run: (input) =>
      withTarget(input, (t) => listCommand({ ...(input.flags.app ? { app: input.flags.app } : {}), limit: input.flags.limit ?? 20 }, t, input.out)),
  },
  {
    name: 'deployments show',
    summary: 'stage timeline, approvers and errors of a deployment',
    args: [ID_ARG],
    target: true,
    run: (input) => withTarget(input, (t) => showCommand({ deploymentId: input.args.id! }, t, input.out)),
  },
  {
    name: 'logs',
    summary: "the execution's history per stage, with durations",
    args: [ID_ARG],
    flags: [{ flags: '--raw', description: 'every execution event, not grouped by stage' }],
    target: true,
    run: (input) => withTarget(input, (t) => logsCommand({ deploymentId: input.args.id!, raw: input.flags.raw === true }, t, input.out)),
  },
  {
    name: 'status',
    summary: 'live task sets, listener weights, the deployed commit and drift of an app; exit 1 when drifted',
    args: [{ name: 'app', description: 'the app name', required: true }],
    target: true,
    run: (input) => withTarget(input, (t) => statusCommand({ app: input.args.app! }, t, input.out)),
  },
  {
    name: 'drift',
    summary: 'apps whose live service differs from their last good deployment; exit 1 when any has drifted',
    args: [{ name: 'app', description: 'only this app' }],
    flags: [{ flags: '--check', description: 'run the drift check now (local stack only; on AWS it runs on its schedule)' }],
    target: true,
    run: (input) =>
      withTarget(input, (t) => driftCommand({ ...(input.args.app ? { app: input.args.app } : {}), check: input.flags.check === true }, t, input.out)),
  },
  {
    name: 'wait',
    summary: 'follow a deployment to its end; exit 0 on SUCCESS, 1 otherwise',
    args: [ID_ARG],
    flags: [{ flags: '--timeout <duration>', description: 'give up after this long, e.g. 30m or 1h30m (default 1h)', parse: durationFlag('--timeout') }],
    target: true,
    run: (input) =>
      withTarget(input, (t) =>
        waitCommand({ deploymentId: input.args.id!, ...(input.flags.timeout ? { timeout: input.flags.timeout } : {}) }, t, input.out, input.io),
      ),
  },
  {
    name: 'approve',
    summary: 'approve the open WAIT_APPROVAL stage',
    args: [ID_ARG],
    flags: [AS_FLAG],
    target: true,
    run: (input) => decide('approve', input),
  },
  {
    name: 'reject',
    summary: 'reject the open WAIT_APPROVAL stage (the deployment rolls back)',
    args: [ID_ARG],
    flags: [AS_FLAG, { flags: '--reason <text>', description: 'why, recorded with the rejection' }],
    target: true,
    run: (input) => decide('reject', input),
  },
  {
    name: 'cancel',
    summary: 'cancel a running deployment (it rolls back)',
    args: [ID_ARG],
    flags: [AS_FLAG],
    target: true,
    run: (input) => withTarget(input, (t) => cancelCommand({ deploymentId: input.args.id!, user: approver(input) }, t, input.out)),
  },
  {
    name: 'sync',
    summary: 'deploy the app at the branch head (or that commit) through its pipeline, as a push would',
    args: [{ name: 'app', description: 'the app (spec.name)', required: true }],
    flags: [
      { flags: '--commit <sha>', description: 'a commit of the tracked branch (default: its head); one older than the live commit ends SUPERSEDED' },
      AS_FLAG,
    ],
    target: true,
    run: (input) =>
      withTarget(input, (t) =>
        syncCommand(
          {
            app: input.args.app!,
            ...(input.flags.commit ? { commit: input.flags.commit } : {}),
            ...(input.flags.approvers !== undefined ? { stackApprovers: approverList(input.flags.approvers) } : {}),
            user: approver(input),
          },
          t,
          input.out,
          input.io,
        ),
      ),
  },
  {
    name: 'rollback',
    summary: "redeploy the last good (or the named) deployment's recorded plan, recorded as a rollback",
    args: [{ name: 'app', description: 'the app (spec.name)', required: true }],
    flags: [
      { flags: '--to <id>', description: 'the SUCCESS deployment of this app to return to (default: the last good one before the live one)' },
      { flags: '--quick', description: 'a quick sync of that version (one ECS_SYNC stage, no canary) instead of its pipeline' },
      AS_FLAG,
    ],
    target: true,
    run: (input) =>
      withTarget(input, (t) =>
        rollbackCommand(
          { app: input.args.app!, ...(input.flags.to ? { to: input.flags.to } : {}), quick: input.flags.quick === true, user: approver(input) },
          t,
          input.out,
        ),
      ),
  },
  {
    name: 'dashboard',
    summary: `the web UI on 127.0.0.1 (default port ${DEFAULT_DASHBOARD_PORT})`,
    flags: [{ flags: '--port <n>', description: `the port to listen on, 0 for any free one (default ${DEFAULT_DASHBOARD_PORT})`, parse: portFlag }],
    target: true,
    run: (input) =>
      withTarget(input, (t, choice) =>
        dashboardCommand(
          { ...(input.flags.port !== undefined ? { port: input.flags.port } : {}), ...(choice.stage ? { stage: choice.stage } : {}) },
          t,
          input.out,
          input.io,
        ),
      ),
  },
  {
    name: 'local',
    summary: 'run the local cloud, watching a manifests repo',
    args: [{ name: 'repo-dir', description: 'the Git repository of the manifests', default: '.' }],
    flags: [
      { flags: '--port <n>', description: 'the port of its HTTP front (webhook, dashboard), 0 for any free one', parse: portFlag },
      { flags: '--branch <name>', description: 'the branch to watch and deploy (default main)' },
    ],
    run: ({ args, flags, out, io }) =>
      localCommand({ repoDir: args['repo-dir'] ?? '.', ...(flags.port !== undefined ? { port: flags.port } : {}), branch: flags.branch ?? 'main' }, out, io),
  },
  {
    name: 'demo',
    summary: 'the whole canary pipeline on the local cloud',
    flags: [{ flags: '-y, --yes', description: 'approve without asking' }, AS_FLAG],
    run: (input) => demoCommand({ yes: input.flags.yes === true, user: approver(input) }, input.out, input.io),
  },
  {
    name: 'encrypt',
    summary: "encrypt stdin with the stack's KMS key (for spec.encryption)",
    target: true,
    run: async ({ flags, out, io }) => encryptCommand({ ...(await targetChoice(flags, io)), ...(flags.debug ? { debug: true } : {}) }, out, io),
  },
];

async function targetChoice(flags: Flags, io: CliIo): Promise<TargetChoice> {
  return resolveTargetChoice({ ...(flags.local ? { local: true } : {}), ...pick(flags) }, io.env, io.cwd);
}

function pick(flags: Flags): { stage?: string; region?: string; profile?: string } {
  return {
    ...(flags.stage ? { stage: flags.stage } : {}),
    ...(flags.region ? { region: flags.region } : {}),
    ...(flags.profile ? { profile: flags.profile } : {}),
  };
}

/** Builds the command's target from its flags and defaults, runs `fn`, and always releases its clients. */
async function withTarget(input: CommandInput, fn: (t: Target, choice: TargetChoice) => Promise<number>): Promise<number> {
  const choice = await targetChoice(input.flags, input.io);
  const target = await resolveTarget({ ...choice, ...(input.flags.debug ? { debug: true } : {}) }, input.io);
  try {
    return await fn(target, choice);
  } finally {
    target.close();
  }
}

function decide(decision: 'approve' | 'reject', input: CommandInput): Promise<number> {
  return withTarget(input, (t) =>
    decideCommand(
      { decision, deploymentId: input.args.id!, user: approver(input), ...(input.flags.reason ? { reason: input.flags.reason } : {}) },
      t,
      input.out,
    ),
  );
}

/** Who approves: `--as`, else STEPCD_USER, else the OS user (the Slack user id is what approvers lists hold). */
function approver({ flags, io }: CommandInput): string {
  return flags.as ?? io.env.STEPCD_USER ?? io.env.USER ?? safeUserName();
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'cli';
  }
}
