import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CallRecorder } from '../../../src/local/call-recorder.js';
import { bundleEntry, extractTo, LOAD_BUNDLE } from '../../deploy/support/import-bundle.js';
import { offlineEnv, packageOffline } from '../../deploy/support/package-offline.js';
import { startSsmStub } from '../../deploy/support/ssm-stub.js';
import { props, render, resourcesOfType, type CfnTemplate } from '../../deploy/support/template.js';
import { readZip } from '../../deploy/support/zip.js';
import type { CallLogEntry } from './call-log.js';
import { deployedIdentities, type DeployedIdentity } from './deployed-roles.js';

export const SERVICE = 'stepcd';
export const STAGE = 'ci';

export interface DeployedStack {
  template: CfnTemplate;
  identities: DeployedIdentity[];
  /** What each packaged bundle asks AWS for while it loads (the secrets middleware's prefetch), by function. */
  coldStarts: CallLogEntry;
}

/**
 * `serverless package --stage ci`, then a cold start of every packaged bundle in a fresh Node
 * process, signed as its function, against a loopback SSM that records the requests.
 */
export async function packageAndColdStart(): Promise<DeployedStack> {
  const service = await packageOffline(STAGE);
  const template = service.template;
  const work = await mkdtemp(join(tmpdir(), 'stepcd-iam-'));
  const recorder = new CallRecorder();
  const ssm = await startSsmStub(recorder);
  try {
    const script = join(work, 'cold-start.mjs');
    await writeFile(script, COLD_START);
    const networkLog = join(work, 'network.log');
    await writeFile(networkLog, '');
    for (const [, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
      const name = String(props(fn).FunctionName).replace(`${SERVICE}-${STAGE}-`, '');
      const files = readZip(await readFile(join(service.dir, `${name}.zip`)));
      const entry = bundleEntry(name);
      const file = await extractTo(work, join(name, entry), files.get(entry) as Buffer);
      const variables = (props(fn).Environment?.Variables ?? {}) as Record<string, unknown>;
      const env = Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, render(v)]));
      const fetches = Object.keys(env).some((k) => k.startsWith('STEPCD_SECRET_'));
      await coldStart(
        script,
        file,
        offlineEnv(work, networkLog, { ...env, AWS_ENDPOINT_URL_SSM: ssm.url, AWS_ACCESS_KEY_ID: name }),
        fetches ? () => recorder.calls.filter((c) => c.principal === name).length : undefined,
      );
    }
  } finally {
    await ssm.close();
    await rm(work, { recursive: true, force: true });
  }
  return {
    template,
    identities: deployedIdentities(template, SERVICE, STAGE),
    coldStarts: { file: 'cold start of each packaged bundle (test/iam/support/deployed-stack.ts)', names: LOCAL_NAMES, calls: recorder.calls },
  };
}

/** Imports the bundle and stays up (middy's secret fetch runs after the import returns). */
const COLD_START = `${LOAD_BUNDLE}
await loadBundle(process.argv[2]);
process.stdout.write('imported\\n');
setInterval(() => {}, 1000);
`;

/**
 * Runs one cold start. A function with secrets must fetch them: wait for its first request, then
 * until no more arrive for a moment (middy batches the names, so this is one request), and stop it.
 */
async function coldStart(script: string, bundle: string, env: NodeJS.ProcessEnv, requests?: () => number): Promise<void> {
  const child = spawn(process.execPath, [script, bundle], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  try {
    const deadline = Date.now() + 60_000;
    let seen = -1;
    let quietSince = Date.now();
    for (;;) {
      const done = await Promise.race([exited.then(() => true), sleep(100).then(() => false)]);
      if (done) throw new Error(`${bundle} exited during its cold start:\n${output}`);
      const imported = output.includes('imported');
      const count = requests?.() ?? 0;
      if (count !== seen) [seen, quietSince] = [count, Date.now()];
      if (imported && (!requests || (count > 0 && Date.now() - quietSince > 500))) return;
      if (Date.now() > deadline) throw new Error(`${bundle}: no cold start${requests ? ' secret fetch' : ''} within 60 s:\n${output}`);
    }
  } finally {
    child.kill();
    await exited;
  }
}

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));

/** Placeholder local names for entries whose calls already carry deployed names. */
const LOCAL_NAMES = { tableName: '-', eventBusName: '-', stateMachineArn: 'arn:aws:states:::stateMachine:-' };

/**
 * What the Lambda service does with each function's role on every invocation: write its logs
 * (CreateLogStream, PutLogEvents in /aws/lambda/<function>), for every function the calls show ran.
 */
export function lambdaPlatformCalls(template: CfnTemplate, entries: CallLogEntry[]): CallLogEntry {
  const ran = new Set<string>();
  for (const entry of entries) {
    for (const call of entry.calls) {
      ran.add(call.principal);
      if (call.principal === 'state-machine') ran.add(String(call.input.FunctionName).replace(/^.*:function:/, ''));
    }
  }
  const calls = resourcesOfType(template, 'AWS::Lambda::Function')
    .map(([, fn]) => String(props(fn).FunctionName))
    .filter((deployed) => ran.has(deployed.replace(`${SERVICE}-${STAGE}-`, '')))
    .flatMap((deployed) => {
      const principal = deployed.replace(`${SERVICE}-${STAGE}-`, '');
      const input = { logGroupName: `/aws/lambda/${deployed}`, logStreamName: '2026/01/01/[$LATEST]0123456789abcdef' };
      return ['CreateLogStream', 'PutLogEvents'].map((operation) => ({ principal, service: 'logs', operation, input }));
    });
  return { file: "the Lambda service writing each function's logs (test/iam/support/deployed-stack.ts)", names: LOCAL_NAMES, calls };
}
