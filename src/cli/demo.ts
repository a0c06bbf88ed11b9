import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { fileURLToPath } from 'node:url';
import type { DeploymentRecord } from '../domain/deployment.js';
import { headSha, initRepo, writeAndCommit } from '../local/git-repo.js';
import { startLocalStack, type LocalStack } from '../local/stack.js';
import { createLogger } from '../logging.js';
import { CliError } from './errors.js';
import { formatDuration, table, type CliIo, type Output } from './output.js';
import { sendPushWebhook, type PushReply } from './push-webhook.js';
import { deploymentsTable } from './timeline.js';
import { watchDeployment, type Progress } from './watch.js';

const EXAMPLES_DIR = fileURLToPath(new URL('../../examples/apps', import.meta.url));
const REPO = 'local/manifests';
const APP = 'canary';
const TASKDEF = `apps/${APP}/taskdef.yaml`;
const NEW_TAG = '1.1.0';
const PROBE_REQUESTS = 200;

export interface DemoOptions {
  /** Approve without asking (always so when stdin is not a terminal). */
  yes: boolean;
  user: string;
}

/**
 * `stepcd demo` (and `npm start`): the whole product on the local cloud in seconds. A baseline
 * quick sync of the example apps, then an image bump of the canary app through its pipeline and
 * an approval, with live progress, traffic probes, the history table and the events emitted.
 */
export async function demoCommand(opts: DemoOptions, out: Output, io: CliIo): Promise<number> {
  const repoDir = await mkdtemp(join(tmpdir(), 'stepcd-demo-'));
  let stack: LocalStack | undefined;
  try {
    out.line(out.paint('bold', 'stepcd demo: a canary deployment on the local cloud (no AWS account, no network)'));
    out.line('Waits are shortened: the local clock runs 60x real time and each ASL Wait state sleeps 5 ms,');
    out.line('so times below are emulated (what AWS would take) unless marked "real".');
    out.line();

    await initRepo(repoDir);
    const initial = await writeAndCommit(repoDir, { 'README.md': '# manifests\n' }, 'initial');
    stack = await startLocalStack({ repoDir, repo: REPO, logger: createLogger('stepcd-demo', { logLevel: 'SILENT' }) });
    const topology = stack.topology!;
    out.line(`1. Local cloud up: ECS cluster demo, ALB demo-alb, listener :80, ${Object.keys(topology.targetGroups).length * 2 - 1} target groups`);
    out.line(`   AWS endpoint ${stack.cloud.url}, webhook ${stack.front.url}/webhooks/github`);

    const baseline = await writeAndCommit(repoDir, await exampleFiles(), 'add the example apps');
    out.line(`2. Git repo of the example manifests at ${repoDir}`);

    out.line('3. Baseline: the first push deploys every app by quick sync (no service yet, nothing to canary against)');
    const first = await push(stack, repoDir, initial, baseline);
    for (const app of first.body.apps ?? []) {
      const done = await untilFinal(stack, app.deploymentId, out, { quiet: true });
      out.line(`   ${app.app.padEnd(10)} ${done.strategy.padEnd(10)} ${paintStatus(out, done.status)}`);
      if (done.status !== 'SUCCESS') throw new CliError(`the baseline deployment of ${app.app} ended ${done.status}: ${done.reason ?? ''}`);
    }

    const bump = await bumpImage(repoDir);
    out.line(`4. Commit ${bump.slice(0, 7)} "${APP}: ${NEW_TAG}" and a signed push webhook to the local front`);
    const reply = await push(stack, repoDir, baseline, bump);
    const started = reply.body.apps?.find((a) => a.app === APP);
    if (!started?.executionArn) throw new CliError(`the push did not start a deployment of ${APP}: ${JSON.stringify(reply.body)}`);
    out.line(`   deployment ${started.deploymentId}`);

    out.line('5. The canary pipeline, live:');
    const id = started.deploymentId;
    const realStart = Date.now();
    let record = await untilFinal(stack, id, out, { stopAtApproval: true, realStart });
    let decision: 'approve' | 'reject' | undefined;
    if (record.status === 'WAITING_APPROVAL') {
      const during = probe(stack);
      out.line(`   traffic now: ${splitLine(during)}`);
      decision = await askOrApprove(opts, io, out, id);
      const input = { deploymentId: id, user: opts.user, via: 'cli' as const, now: new Date(stack.cloud.clock.now()) };
      const result = decision === 'approve' ? await stack.approvals.approve(input) : await stack.approvals.reject({ ...input, reason: 'rejected in the demo' });
      out.line(`   ${result.kind}: ${result.message}`);
      record = await untilFinal(stack, id, out, { realStart, from: record });
    }
    await stack.cloud.sfn.waitForExecution(started.executionArn, { timeoutMs: 30_000 });

    out.line();
    out.line(out.paint('bold', `6. Deployment history of ${APP}:`));
    for (const line of deploymentsTable(await stack.core.history.listByApp(APP))) out.line(`   ${line}`);
    out.line();
    out.line(out.paint('bold', 'Events emitted (EventBridge, source stepcd):'));
    for (const line of eventLines(stack, id)) out.line(`   ${line}`);
    out.line();
    const after = probe(stack);
    out.line(out.paint('bold', `Traffic probe (${PROBE_REQUESTS} requests through the listener to /${APP}/):`));
    for (const line of probeLines(after)) out.line(`   ${line}`);
    out.line();
    const expected = decision === 'reject' ? record.status !== 'SUCCESS' : record.status === 'SUCCESS';
    out.line(`Done in ${formatDuration(Date.now() - realStart)} real. Keep a stack up for your own pushes with: stepcd local <repo-dir>`);
    out.data({ deploymentId: id, status: record.status, events: eventsOf(stack, id), probe: after });
    return expected ? 0 : 1;
  } finally {
    await stack?.stop();
    await rm(repoDir, { recursive: true, force: true });
  }
}

async function push(stack: LocalStack, repoDir: string, before: string, after: string): Promise<PushReply> {
  const reply = await sendPushWebhook(`${stack.front.url}/webhooks/github`, stack.secrets.githubWebhookSecret, {
    repoDir,
    repo: REPO,
    branch: 'main',
    before,
    after,
  });
  if (reply.status !== 200) throw new CliError(`the local webhook answered ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply;
}

/** examples/apps/** as `apps/<app>/<file>` → content, for one commit. */
async function exampleFiles(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(EXAMPLES_DIR, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    files[`apps/${relative(EXAMPLES_DIR, full).split(sep).join('/')}`] = await readFile(full, 'utf8');
  }
  return files;
}

async function bumpImage(repoDir: string): Promise<string> {
  const text = await readFile(join(repoDir, TASKDEF), 'utf8');
  const bumped = text.replace(/(registry\.example\.com\/[\w-]+):[\w.-]+/g, `$1:${NEW_TAG}`);
  await writeAndCommit(repoDir, { [TASKDEF]: bumped }, `${APP}: ${NEW_TAG}`);
  return headSha(repoDir);
}

async function untilFinal(
  stack: LocalStack,
  id: string,
  out: Output,
  opts: { quiet?: boolean; stopAtApproval?: boolean; realStart?: number; from?: DeploymentRecord },
): Promise<DeploymentRecord> {
  // Records carry real time; the emulated time shown is the local cloud's, from when the watch began.
  const emulatedStart = stack.cloud.clock.now();
  const record = await watchDeployment(
    stack.core.history,
    id,
    {
      onProgress(change: Progress) {
        if (!opts.quiet) out.line(`   ${progressLine(out, change, stack.cloud.clock.now() - emulatedStart, opts.realStart)}`);
        return opts.stopAtApproval === true && change.kind === 'status' && change.status === 'WAITING_APPROVAL';
      },
    },
    opts.from,
  );
  if (!record) throw new CliError(`deployment ${id} has no history record`);
  return record;
}

function progressLine(out: Output, change: Progress, emulatedMs: number, realStart?: number): string {
  const emulated = formatDuration(emulatedMs).padStart(6);
  const real = realStart === undefined ? '' : ` | ${((Date.now() - realStart) / 1000).toFixed(1)}s real`;
  const what =
    change.kind === 'stage'
      ? `${change.name.padEnd(20)} ${paintStatus(out, change.status)}${change.detail ? `  ${shortArns(change.detail)}` : ''}`
      : `deployment ${paintStatus(out, change.status)}${change.record.reason && change.status !== 'RUNNING' ? `: ${change.record.reason}` : ''}`;
  return `[${emulated}${real}] ${what}`;
}

/** Rule and target group ARNs are long and alike; their last segment is what tells them apart. */
function shortArns(text: string): string {
  return text.replace(/arn:aws:[\w-]+:[\w-]*:\d*:[^\s,]*\/([^/\s,]+)/g, '…/$1');
}

function paintStatus(out: Output, status: string): string {
  if (status === 'SUCCESS') return out.paint('green', status);
  if (status === 'FAILURE' || status === 'TRIGGER_FAILED') return out.paint('red', status);
  if (status === 'WAITING_APPROVAL' || status === 'ROLLING_BACK' || status === 'CANCELLED') return out.paint('yellow', status);
  return out.paint('cyan', status);
}

async function askOrApprove(opts: DemoOptions, io: CliIo, out: Output, id: string): Promise<'approve' | 'reject'> {
  if (opts.yes || !io.isTTY || !io.stdin) {
    out.line(`   waiting for approval: auto-approving as ${opts.user} (${opts.yes ? '--yes' : 'not a terminal'})`);
    return 'approve';
  }
  const rl = createInterface({ input: io.stdin, output: io.stdout as NodeJS.WritableStream });
  try {
    const answer = await rl.question(`   Approve deployment ${id} as ${opts.user}? [Y/n] `);
    return /^n/i.test(answer.trim()) ? 'reject' : 'approve';
  } finally {
    rl.close();
  }
}

type ProbeResult = ReturnType<LocalStack['cloud']['emulator']['probe']>;

function probe(stack: LocalStack): ProbeResult {
  return stack.cloud.emulator.probe({ listenerArn: stack.topology!.listenerArn, requests: PROBE_REQUESTS, path: `/${APP}/` });
}

export function errors5xx(result: ProbeResult): number {
  return Object.entries(result.outcomes)
    .filter(([code]) => code.startsWith('5'))
    .reduce((n, [, count]) => n + (count ?? 0), 0);
}

function versionName(taskDefinitionArn: string): string {
  return taskDefinitionArn.split('/').pop() ?? taskDefinitionArn;
}

function splitLine(result: ProbeResult): string {
  const parts = Object.entries(result.byVersion).map(([v, n]) => `${versionName(v)} ${Math.round((n / result.total) * 100)}%`);
  return `${parts.join(', ')}; ${errors5xx(result)} 5xx`;
}

function probeLines(result: ProbeResult): string[] {
  const rows = Object.entries(result.byVersion).map(([v, n]) => [versionName(v), String(n)]);
  return [...table(['VERSION', 'REQUESTS'], rows), `5xx: ${errors5xx(result)} of ${result.total}`];
}

function eventsOf(stack: LocalStack, id: string) {
  return stack.cloud.events.events.filter((e) => e.source === 'stepcd' && (e.detail as { deploymentId?: string }).deploymentId === id);
}

function eventLines(stack: LocalStack, id: string): string[] {
  return table(
    ['TIME', 'DETAIL-TYPE', 'STATUS', 'STAGE'],
    eventsOf(stack, id).map((e) => {
      const d = e.detail as { status?: string; stage?: { name?: string } };
      return [e.time, e.detailType, d.status ?? '', d.stage?.name ?? ''];
    }),
  );
}
