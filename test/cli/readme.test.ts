import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Output, type CliIo } from '../../src/cli/output.js';
import { buildProgram } from '../../src/cli/program.js';
import { runCli } from './support.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A test that runs the command: its file, and a title (or a string) that must be in it. */
interface Coverage {
  file: string;
  title: string;
  /** Why the command cannot run here as written, when it cannot. */
  note?: string;
}

/** Commands of the README that are not `stepcd`: each names where it is exercised. */
const OTHER_COMMANDS: Record<string, Coverage> = {
  'npm install && npm start': {
    file: 'test/cli/demo.test.ts',
    title: 'deploys the baseline, runs the canary pipeline',
    note: 'npm start is `node bin/stepcd.mjs demo`; bin.test.ts runs the bin as a process',
  },
  'npm install && npm test': { file: 'package.json', title: '"test": "npm run typecheck && npm run lint && vitest run"', note: 'the suite itself' },
  'npx vitest run test/deploy': { file: 'test/deploy/serverless-package.test.ts', title: 'describe(' },
  'npm run bench': {
    file: 'test/bench/harness.test.ts',
    title: 'reports transitions, invocations, AWS calls and a cost for each strategy',
    note: 'the smoke test runs every bench section on tiny sizes; the full run is not part of npm test',
  },
  'npx serverless deploy --stage prod --param="githubRepos=my-org/ecs-apps" --param="taskRoleArn=arn:aws:iam::111122223333:role/app-task" --param="executionRoleArn=arn:aws:iam::111122223333:role/ecsTaskExecutionRole"':
    {
      file: 'test/deploy/serverless-package.test.ts',
      title: 'describe(',
      note: 'deploying needs an AWS account; the same template is packaged offline and checked there',
    },
};

/** `stepcd <command>` → the test that runs it against the local stack (or, for AWS, what can run without an account). */
const STEPCD_COMMANDS: Record<string, Coverage> = {
  validate: { file: 'test/cli/validate.test.ts', title: 'prints an OK row for every check of every example app' },
  demo: { file: 'test/cli/demo.test.ts', title: 'runs the canary pipeline through an automatic approval' },
  local: { file: 'test/cli/local.test.ts', title: 'deploys a local commit by sending itself the push webhook' },
  plan: { file: 'test/cli/commands.test.ts', title: 'plans the canary pipeline with the image change' },
  'deployments list': { file: 'test/cli/commands.test.ts', title: 'lists, shows and logs a deployment waiting for approval' },
  'deployments show': { file: 'test/cli/commands.test.ts', title: 'lists, shows and logs a deployment waiting for approval' },
  logs: { file: 'test/cli/commands.test.ts', title: 'lists, shows and logs a deployment waiting for approval' },
  wait: { file: 'test/cli/wait.test.ts', title: 'follows a deployment stage by stage and exits 0 when it succeeds' },
  approve: { file: 'test/cli/commands.test.ts', title: 'then approves it as the caller' },
  reject: { file: 'test/cli/commands.test.ts', title: 'rolls back on its reject' },
  cancel: { file: 'test/cli/commands.test.ts', title: 'cancels a deployment waiting for approval' },
  status: { file: 'test/cli/day-two.test.ts', title: 'shows the status of a canary in progress' },
  sync: { file: 'test/cli/sync-rollback.test.ts', title: 'sync: deploys the branch head through the pipeline a push uses' },
  rollback: { file: 'test/cli/sync-rollback.test.ts', title: 'rollback: redeploys the last good deployment before the live one' },
  drift: { file: 'test/cli/day-two.test.ts', title: 'checks drift on demand, lists it and exits 1 while an app has drifted' },
  encrypt: { file: 'test/cli/encrypt.test.ts', title: 'prints a ciphertext of the value' },
  dashboard: { file: 'test/dashboard/dashboard-command.test.ts', title: "run(['dashboard', '--local', '--port', '0']" },
};
const AWS_TARGET: Coverage = {
  file: 'test/cli/readme.test.ts',
  title: 'asks for a region before it reaches for AWS',
  note: 'an AWS stage needs an account; the commands are the --local ones over the same ports',
};

/**
 * Parses a command line with the CLI's own program, running nothing: which command it names, or the
 * usage error it gives.
 */
async function parseOnly(argv: string[]): Promise<{ command?: string; error?: string }> {
  const io: CliIo = { stdout: { write: () => true }, stderr: { write: () => true }, isTTY: false, cwd: ROOT, env: {} };
  let command: string | undefined;
  const program = buildProgram(io, new Output(io, false, false), async (spec) => {
    command = spec.name;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return { ...(command ? { command } : {}) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** Every line of every ```sh block, without trailing comments. */
export function shellCommands(markdown: string): string[] {
  const commands: string[] = [];
  for (const block of markdown.matchAll(/^\s*```sh\n([\s\S]*?)^\s*```/gm)) {
    for (const raw of (block[1] ?? '').split('\n')) {
      const line = raw.replace(/\s+#\s.*$/, '').trim();
      if (line && !line.startsWith('#')) commands.push(line);
    }
  }
  return commands;
}

async function assertCovered(c: Coverage): Promise<void> {
  const text = await readFile(join(ROOT, c.file), 'utf8');
  expect(text, `${c.file} should hold "${c.title}"`).toContain(c.title);
}

describe('README commands', () => {
  it('extracts the fenced sh commands', async () => {
    const commands = shellCommands(await readFile(join(ROOT, 'README.md'), 'utf8'));
    expect(commands).toContain('npm install && npm start');
    expect(commands.filter((c) => c.startsWith('npx stepcd ')).length).toBeGreaterThanOrEqual(10);
  });

  it('are each exercised by a named test, and every stepcd one parses with the flags the CLI has', async () => {
    const commands = shellCommands(await readFile(join(ROOT, 'README.md'), 'utf8'));
    for (const command of commands) {
      if (!command.startsWith('npx stepcd ')) {
        const coverage = OTHER_COMMANDS[command];
        expect(coverage, `README command not exercised anywhere: ${command}`).toBeDefined();
        await assertCovered(coverage!);
        continue;
      }
      const argv = command.slice('npx stepcd '.length).split(/\s+/);
      const parsed = await parseOnly(argv);
      expect(parsed.error, `${command}: does not parse`).toBeUndefined();
      const name = parsed.command!;
      // Each flag the README shows is one the command's own help lists, with a description.
      const help = (await runCli([...name.split(' '), '--help'], { cwd: ROOT })).stdout;
      for (const flag of argv.filter((a) => a.startsWith('--'))) {
        expect(help, `${command}: \`stepcd ${name} --help\` should list ${flag}`).toMatch(new RegExp(`^ +(-\\w, )?${flag}( <[\\w-]+>)? +\\S`, 'm'));
      }
      const coverage = argv.includes('--stage') ? AWS_TARGET : STEPCD_COMMANDS[name];
      expect(coverage, `README command not exercised anywhere: ${command}`).toBeDefined();
      await assertCovered(coverage!);
    }
  });

  it('the parse check refuses what the CLI refuses', async () => {
    expect((await parseOnly(['deployments', 'list', '--limt', '5'])).error).toContain("unknown option '--limt'");
    expect((await parseOnly(['validate', 'examples/apps', '--port', '1'])).error).toContain("unknown option '--port'");
    expect((await parseOnly(['deployments', 'list', '--app', 'canary'])).command).toBe('deployments list');
  });

  it('runs `stepcd validate examples/apps` exactly as the README shows it', async () => {
    const r = await runCli(['validate', 'examples/apps'], { cwd: ROOT });
    expect(r.code).toBe(0);
  });

  it('asks for a region before it reaches for AWS', async () => {
    const r = await runCli(['deployments', 'list', '--app', 'canary', '--stage', 'prod'], { cwd: ROOT, env: {} });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no AWS region (pass --region or set AWS_REGION)');
  });

  it('links only to files that exist', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    for (const [, target] of readme.matchAll(/\]\(((?!https?:)[^)#]+)\)/g)) await access(join(ROOT, target!));
  });
});
