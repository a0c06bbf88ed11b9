import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalStack } from '../local/stack.js';
import { CliError } from './errors.js';

/** Where `stepcd local` keeps its state, relative to the directory it runs in. */
export const STATE_DIR = '.stepcd';
export const LOCAL_FILE = 'local.json';

/**
 * What `stepcd local` writes so that `--local` commands in another terminal reach the same stack.
 * Secrets here are the local stack's fixed development values, never real ones.
 */
export interface LocalEndpoints {
  version: 1;
  /** ECS, ELBv2, SFN and EventBridge. */
  awsUrl: string;
  dynamoUrl: string;
  tableName: string;
  eventBusName: string;
  stateMachineArn: string;
  frontUrl: string;
  webhookUrl: string;
  webhookSecret: string;
  slackInteractionsUrl: string;
  repoDir?: string;
  /** The repository name plans carry, the branch the stack tracks and its approver allowlist: what `stepcd sync` plans with. */
  repo?: string;
  branch?: string;
  approvers?: string[];
  listenerArn?: string;
  pid: number;
}

export function endpointsOf(stack: LocalStack, extra: { repoDir?: string; pid: number }): LocalEndpoints {
  return {
    version: 1,
    awsUrl: stack.cloud.url,
    dynamoUrl: stack.cloud.dynamoUrl,
    tableName: stack.cloud.tableName,
    eventBusName: stack.cloud.eventBusName,
    stateMachineArn: stack.stateMachineArn,
    frontUrl: stack.front.url,
    webhookUrl: `${stack.front.url}/webhooks/github`,
    webhookSecret: stack.secrets.githubWebhookSecret,
    slackInteractionsUrl: `${stack.front.url}/slack/interactions`,
    ...(extra.repoDir ? { repoDir: extra.repoDir } : {}),
    ...(stack.config.github.repos[0] ? { repo: stack.config.github.repos[0] } : {}),
    ...(stack.config.github.branches[0] ? { branch: stack.config.github.branches[0] } : {}),
    ...(stack.config.approvers ? { approvers: stack.config.approvers } : {}),
    ...(stack.topology ? { listenerArn: stack.topology.listenerArn } : {}),
    pid: extra.pid,
  };
}

export async function writeLocalEndpoints(cwd: string, endpoints: LocalEndpoints): Promise<string> {
  const dir = join(cwd, STATE_DIR);
  await mkdir(dir, { recursive: true });
  const file = join(dir, LOCAL_FILE);
  await writeFile(file, `${JSON.stringify(endpoints, null, 2)}\n`);
  return file;
}

export async function removeLocalEndpoints(cwd: string): Promise<void> {
  await rm(join(cwd, STATE_DIR, LOCAL_FILE), { force: true });
}

export async function readLocalEndpoints(cwd: string): Promise<LocalEndpoints> {
  const file = join(cwd, STATE_DIR, LOCAL_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`no local stack found (${file} is missing)`, {
      hint: 'start one with `stepcd local` in this directory, in another terminal',
      cause: err,
    });
  }
  try {
    const parsed = JSON.parse(text) as LocalEndpoints;
    if (parsed.version !== 1 || !parsed.awsUrl || !parsed.dynamoUrl) throw new Error('unexpected shape');
    return parsed;
  } catch (err) {
    throw new CliError(`${file} is not a stepcd local state file`, { hint: 'restart `stepcd local`, which rewrites it', cause: err });
  }
}
