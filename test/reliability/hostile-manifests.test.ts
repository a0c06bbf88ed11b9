import './support/quiet.js';
import { execFile } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINAL_STATUSES } from '../../src/domain/deployment.js';
import { createLogger } from '../../src/logging.js';
import { createDirFiles, verifyRepository } from '../../src/manifest/index.js';
import { deploymentIdFor } from '../../src/plan/ids.js';
import { exampleFiles } from '../support/examples.js';
import { REPO, startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { brokenApp } from './support/manifest-cases.js';
import { HOSTILE_CASES, type SpecialFile } from './support/hostile-cases.js';
import { createSummary } from './support/summary.js';
import { waitFor } from '../support/waits.js';

const run = promisify(execFile);

/**
 * Hostile and broken input pushed through the real webhook into one local stack, all in one commit:
 * alias bombs, deep nesting, unknown tags, bytes that are not UTF-8, symlinks out of the repository,
 * oversized files, unsafe images, over-long pipelines, impossible approvals, and apps that clash on
 * name or service. Each must end TRIGGER_FAILED with its `file: field` message and a
 * DEPLOYMENT_TRIGGER_FAILED event, with no ECS or ELBv2 mutation, and `stepcd validate` on the same
 * checkout must give the same verdict.
 */
const summary = createSummary('hostile manifests');
let h: StackHarness;
let sha: string;
let pushStatus: number;
let mutatingBefore: number;
const dirOf = (i: number) => `hostile-${String(i).padStart(2, '0')}`;
const built = new Map<number, ReturnType<(typeof HOSTILE_CASES)[number]['build']>>();

async function writeSpecial(repoDir: string, path: string, file: SpecialFile): Promise<void> {
  const full = join(repoDir, path);
  await mkdir(dirname(full), { recursive: true });
  if ('bytes' in file) await writeFile(full, file.bytes);
  else await symlink(file.symlink, full);
  await run('git', ['-C', repoDir, 'add', '--', path]);
}

beforeAll(async () => {
  h = await startStackHarness({ logger: createLogger('reliability', { logLevel: 'SILENT' }) });
  const example = await exampleFiles(['canary']);
  const files: Record<string, string> = {};
  for (const [i, c] of HOSTILE_CASES.entries()) {
    const b = c.build(example, dirOf(i));
    built.set(i, b);
    Object.assign(files, b.files);
    for (const [path, special] of Object.entries(b.special ?? {})) await writeSpecial(h.repoDir, path, special);
  }
  mutatingBefore = h.stack.cloud.emulator.calls.count({ mutating: true });
  const pushed = await h.push(files, 'hostile manifests');
  sha = pushed.sha;
  pushStatus = pushed.status;
}, 60_000);
afterAll(async () => {
  await h?.stop();
});

const recordOf = (configPath: string) =>
  waitFor(
    `the record of ${configPath}`,
    async () => {
      const r = await h.stack.core.history.getDeployment(deploymentIdFor({ repo: REPO, configPath, sha }));
      return r && FINAL_STATUSES.includes(r.status) ? r : undefined;
    },
    { everyMs: 10 },
  );

const expectations = () => [...built.values()].flatMap((b) => Object.entries(b.expect));

describe(`hostile manifests through the webhook (${HOSTILE_CASES.length} cases in one push)`, () => {
  it('answers the push 200', () => {
    expect(pushStatus).toBe(200);
  });

  it.each(HOSTILE_CASES.map((c, i) => ({ name: c.name, i })))('$name → TRIGGER_FAILED naming file and field', async ({ name, i }) => {
    const b = built.get(i)!;
    await summary.track(name, Object.values(b.expect)[0]?.[0] ?? '', async () => {
      for (const [configPath, messages] of Object.entries(b.expect)) {
        const record = await recordOf(configPath);
        expect(record.status).toBe('TRIGGER_FAILED');
        for (const m of messages) expect(record.reason).toContain(m);
      }
    });
  });

  it('published one DEPLOYMENT_TRIGGER_FAILED per app, made no ECS or ELBv2 mutating call and started no execution', async () => {
    for (const [configPath] of expectations()) await recordOf(configPath);
    const failed = h.stack.cloud.events.events.filter((e) => e.detailType === 'DEPLOYMENT_TRIGGER_FAILED');
    expect(failed).toHaveLength(expectations().length);
    expect(h.stack.cloud.sfn.listExecutions({ stateMachineArn: h.stack.stateMachineArn })).toEqual([]);
    expect(h.stack.cloud.emulator.calls.count({ mutating: true })).toBe(mutatingBefore);
  });

  it('`stepcd validate` on the same checkout refuses every case with the same messages', async () => {
    const configs = expectations().map(([configPath]) => configPath);
    const verdicts = await verifyRepository(createDirFiles(h.repoDir), configs);
    for (const [configPath, messages] of expectations()) {
      const ng = (verdicts.get(configPath) ?? []).filter((o) => o.status === 'NG').flatMap((o) => (o.detail ?? '').split('\n'));
      const record = await recordOf(configPath);
      expect(ng.length, configPath).toBeGreaterThan(0);
      for (const m of messages) expect(ng).toContain(m);
      // The record joins the same messages with '; ' (some hold '; ' themselves), in another order.
      expect(ng.join('; ').split('; ').sort()).toEqual(record.reason!.split('; ').sort());
    }
  });
});

describe('a trigger pattern that backtracks exponentially in a JavaScript RegExp', () => {
  let stack: StackHarness;
  beforeAll(async () => {
    stack = await startStackHarness({ logger: createLogger('reliability', { logLevel: 'SILENT' }) });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('is matched in linear time: the push is answered and the app deploys (the crafted path is not ignored)', async () => {
    const example = await exampleFiles(['canary']);
    const files = brokenApp(example, 'redos', {
      name: 'redos',
      message: '',
      mutate: (a) => (a.config.spec.trigger = { onCommit: { ignores: ['(a|aa)+$'] } }),
    }) as Record<string, string>;
    // 'a' × 64 then 'b': a backtracking engine tries ~fib(64) ways per start position before failing.
    files[`apps/redos/${'a'.repeat(64)}b`] = 'crafted\n';
    const res = await stack.push(files, 'redos');
    expect(res.status).toBe(200);
    expect(res.body.apps?.map((a) => [a.app, a.status])).toEqual([['redos', 'STARTED']]);
  });
});
