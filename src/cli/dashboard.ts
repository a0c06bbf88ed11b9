import type { RequestListener } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { createCallerIdentity } from '../aws/caller-identity.js';
import { createDeploymentLiveReader } from '../aws/deployment-live.js';
import { createDocumentClient } from '../aws/dynamodb.js';
import { DynamoDriftStore } from '../aws/history/dynamo-drift.js';
import { createDashboardApp, dashboardListener, loopbackHosts, NO_CONSOLE, serveDashboard, type ConsoleLinks, type DashboardDeps } from '../dashboard/index.js';
import type { DeploymentRecord } from '../domain/deployment.js';
import { LocalGitSource } from '../gitops/local-git-source.js';
import type { LocalStack } from '../local/stack.js';
import { executionConsoleUrl } from '../slack/blocks.js';
import type { Target } from './context.js';
import { CliError } from './errors.js';
import type { CliIo, Output } from './output.js';
import { branchHead } from './push-webhook.js';
import { appNamesAt } from './app-names.js';

export const DEFAULT_DASHBOARD_PORT = 8090;
/** On AWS every refresh costs a few reads; an open page refreshes this often. */
const AWS_REFRESH_SECONDS = 5;
/** Listing apps on AWS scans the table; the list is reread at most this often. */
const APP_LIST_TTL_MS = 60_000;

export interface DashboardCommandOptions {
  port?: number;
  /** The AWS stage, for the console links to its functions' logs. */
  stage?: string;
}

/**
 * `stepcd dashboard`: the web UI on 127.0.0.1 over the target the flags name (the user's own AWS
 * credentials, or `--local`), until Ctrl-C. Nothing is deployed and nothing runs when nobody looks.
 */
export async function dashboardCommand(opts: DashboardCommandOptions, target: Target, out: Output, io: CliIo): Promise<number> {
  const live = createDeploymentLiveReader(target.clients);
  const deps: DashboardDeps = {
    label: target.label,
    history: target.history,
    appNames: cached(APP_LIST_TTL_MS, () => target.history.listApps()),
    drift: new DynamoDriftStore(createDocumentClient(target.clients.dynamodb), target.config.tableName),
    approvals: target.approvals,
    callerArn: () => target.callerArn(),
    live,
    links: target.local ? NO_CONSOLE : awsConsoleLinks(target.config.region, opts.stage),
    now: () => target.now(),
    refreshSeconds: target.local ? 2 : AWS_REFRESH_SECONDS,
  };
  let port = opts.port ?? DEFAULT_DASHBOARD_PORT;
  const app = createDashboardApp(deps, { allowedHosts: () => loopbackHosts(port) });
  let server;
  try {
    server = await serveDashboard(dashboardListener(app), port);
  } catch (err) {
    live.close();
    if ((err as { code?: string }).code === 'EADDRINUSE')
      throw new CliError(`port ${port} is in use`, { hint: 'pass --port <n> (0 picks a free one)', cause: err });
    throw err;
  }
  port = server.port;
  out.data({ url: `${server.url}/`, target: target.label });
  out.line(`stepcd dashboard for ${target.label}`);
  out.line(`  open ${server.url}/ (Ctrl-C to stop); actions act as your AWS identity`);
  try {
    await sleep(2 ** 31 - 1, undefined, io.signal ? { signal: io.signal } : {}).catch(() => undefined);
    return 0;
  } finally {
    await server.close();
    live.close();
  }
}

/** `stepcd local`'s dashboard, over the stack in this process; records carry real time, as on AWS. */
export function localDashboard(stack: LocalStack, repo: { repoDir: string; branch: string }): { listener: RequestListener; close(): void } {
  const live = createDeploymentLiveReader(stack.cloud.clientConfigs);
  const source = new LocalGitSource(repo.repoDir);
  const identity = createCallerIdentity(stack.cloud.clientConfigs.sts);
  const deps: DashboardDeps = {
    label: `local stack watching ${repo.repoDir}`,
    history: stack.core.history,
    appNames: async () => {
      const sha = await branchHead(repo.repoDir, repo.branch);
      return sha ? appNamesAt(source, sha) : [];
    },
    drift: new DynamoDriftStore(createDocumentClient(stack.cloud.clientConfigs.dynamodb), stack.config.tableName),
    approvals: stack.approvals,
    callerArn: () => identity.callerArn(),
    live,
    links: NO_CONSOLE,
    now: () => new Date(),
  };
  const port = Number(new URL(stack.front.url).port);
  return { listener: dashboardListener(createDashboardApp(deps, { allowedHosts: () => loopbackHosts(port) })), close: () => live.close() };
}

/** The Step Functions execution and the stack's function logs in the AWS console, filtered to the deployment. */
export function awsConsoleLinks(region: string, stage: string | undefined): ConsoleLinks {
  const consoleBase = `https://${region}.console.aws.amazon.com`;
  return {
    execution: (record: DeploymentRecord) => {
      const url = executionConsoleUrl(record.executionArn);
      return url ? { label: 'Step Functions execution', url } : undefined;
    },
    logs: (record: DeploymentRecord) =>
      stage
        ? (['orchestrate', 'stage', 'approval-request'] as const).map((fn) => ({
            label: `${fn} logs`,
            url: `${consoleBase}/cloudwatch/home?region=${region}#logsV2:log-groups/log-group/${consoleEscape(`/aws/lambda/stepcd-${stage}-${fn}`)}/log-events/$3FfilterPattern$3D${consoleEscape(`"${record.deploymentId}"`)}`,
          }))
        : [],
  };
}

/** The CloudWatch console's fragment encoding of a value: URI-encode twice, then `%` becomes `$`. */
function consoleEscape(text: string): string {
  return encodeURIComponent(encodeURIComponent(text)).replace(/%/g, '$');
}

function cached<T>(ttlMs: number, load: () => Promise<T>): () => Promise<T> {
  let entry: { at: number; value: Promise<T> } | undefined;
  return () => {
    const now = Date.now();
    if (!entry || now - entry.at > ttlMs) {
      const value = load();
      entry = { at: now, value };
      value.catch(() => (entry = undefined));
    }
    return entry.value;
  };
}
