import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS, type FlagSpec, GLOBAL_FLAGS, GROUPS, TARGET_FLAGS } from '../../src/cli/commands.js';
import { ROOT, runBin, runCli } from './support.js';

const flagsOf = (name: string) => {
  const spec = COMMANDS.find((c) => c.name === name)!;
  return [...(spec.flags ?? []), ...(spec.target ? TARGET_FLAGS : []), ...GLOBAL_FLAGS];
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The help line of a flag: its name, then (maybe on the next lines) its description's first words. */
function expectListed(help: string, flag: FlagSpec, command: string): void {
  const at = help.indexOf(`${flag.flags}  `);
  expect(at, `${command} --help should list ${flag.flags}`).toBeGreaterThanOrEqual(0);
  const described = help.slice(at + flag.flags.length).replace(/\s+/g, ' ');
  expect(described.trimStart(), `${command} --help should describe ${flag.flags}`).toMatch(
    new RegExp(`^${escape(flag.description.split(' ').slice(0, 3).join(' '))}`),
  );
}

describe('stepcd --version and help (the bin)', () => {
  it("prints package.json's version", async () => {
    const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };

    const r = await runBin(['--version']);

    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
  });

  it('lists every flag of a subcommand with its description, the same for --help and help <command>', async () => {
    const [viaFlag, viaHelp] = await Promise.all([runBin(['deployments', 'list', '--help']), runBin(['help', 'deployments', 'list'])]);

    expect(viaFlag.code).toBe(0);
    expect(viaHelp.code).toBe(0);
    expect(viaHelp.stdout).toBe(viaFlag.stdout);
    expect(viaFlag.stdout).toMatch(/^Usage: stepcd deployments list \[options\]/);
    for (const flag of flagsOf('deployments list')) expectListed(viaFlag.stdout, flag, 'deployments list');
  });

  it('answers a mistyped command with a suggestion and exit 2, on one line', async () => {
    const [command, sub] = await Promise.all([runBin(['deplyments', 'list']), runBin(['deployments', 'lst'])]);

    expect(command.code).toBe(2);
    expect(command.stderr).toBe("error: unknown command 'deplyments' (Did you mean deployments?)\n");
    expect(sub.code).toBe(2);
    expect(sub.stderr).toBe("error: unknown command 'lst' (Did you mean list?)\n");
  });
});

describe('per-command help (the command table)', () => {
  it.each(COMMANDS.map((c) => [c.name]))('%s --help lists each of its flags with its description', async (name) => {
    const r = await runCli([...name.split(' '), '--help'], { cwd: ROOT });

    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: stepcd ${name}`);
    for (const flag of flagsOf(name)) expectListed(r.stdout, flag, name);
    for (const arg of COMMANDS.find((c) => c.name === name)!.args ?? [])
      expect(r.stdout).toMatch(new RegExp(`^ {2}${arg.name} +${escape(arg.description.slice(0, 10))}`, 'm'));
  });

  it('help <command> is the same text as <command> --help', async () => {
    for (const name of ['reject', 'deployments show', 'local']) {
      const viaHelp = await runCli(['help', ...name.split(' ')], { cwd: ROOT });
      expect(viaHelp.stdout).toBe((await runCli([...name.split(' '), '--help'], { cwd: ROOT })).stdout);
    }
  });

  it('the program help names every command and group; with no command it goes to stderr and exits 2', async () => {
    const help = await runCli(['help'], { cwd: ROOT });
    const none = await runCli([], { cwd: ROOT });

    expect(help.code).toBe(0);
    for (const name of [...COMMANDS.map((c) => c.name.split(' ')[0]!), ...Object.keys(GROUPS)]) expect(help.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe(help.stdout);
  });

  it('a group without its subcommand shows the group help and exits 2', async () => {
    const r = await runCli(['deployments'], { cwd: ROOT });

    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ {2}list \[options\] +deployments in progress/m);
    expect(r.stderr).toMatch(/^ {2}show \[options\] <id> +stage timeline/m);
  });
});
