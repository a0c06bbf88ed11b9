import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { CfnTemplate } from './template.js';

const run = promisify(execFile);

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const NETWORK_GUARD = fileURLToPath(new URL('./network-guard.cjs', import.meta.url));
const OSLS = join(REPO_ROOT, 'node_modules', 'osls', 'bin', 'serverless.js');

export interface PackagedService {
  /** Where osls wrote the zips and the CloudFormation templates. */
  dir: string;
  template: CfnTemplate;
  /** Connection attempts and DNS lookups made while packaging (should be none). */
  networkAttempts: string[];
}

/**
 * An environment with nothing from the caller's shell: dummy credentials (so no profile or SSO
 * lookup), a throwaway HOME, and the network guard preloaded into every Node process.
 */
export function offlineEnv(home: string, networkLog: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    AWS_ACCESS_KEY_ID: 'x',
    AWS_SECRET_ACCESS_KEY: 'x',
    AWS_REGION: 'us-east-1',
    SLS_TELEMETRY_DISABLED: '1',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    NODE_OPTIONS: `--require ${NETWORK_GUARD}`,
    STEPCD_NETWORK_LOG: networkLog,
    ...extra,
  };
}

export async function readNetworkLog(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean);
}

/** Runs `serverless package --stage <stage>` from the repository root into a temporary directory. */
export async function packageOffline(stage: string): Promise<PackagedService> {
  const work = await mkdtemp(join(tmpdir(), 'stepcd-package-'));
  const dir = join(work, 'package');
  const networkLog = join(work, 'network.log');
  await writeFile(networkLog, '');
  try {
    await run(process.execPath, [OSLS, 'package', '--stage', stage, '--package', dir], {
      cwd: REPO_ROOT,
      env: offlineEnv(work, networkLog),
      timeout: 180_000,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`serverless package failed:\n${e.stdout ?? ''}\n${e.stderr ?? ''}`, { cause: error });
  }
  const template = JSON.parse(await readFile(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as CfnTemplate;
  return { dir, template, networkAttempts: await readNetworkLog(networkLog) };
}
