import { ConfigError } from '../errors.js';

/**
 * The only reader of process.env. Handlers call `loadConfig()` once per cold start; the local cloud
 * builds a Config directly and never touches the environment, so parallel tests do not collide.
 */
export interface Config {
  region: string;
  /** DynamoDB history table. */
  tableName: string;
  /** EventBridge bus (default `stepcd`). */
  eventBusName: string;
  /** ARN of the deployment state machine. */
  stateMachineArn: string;
  github: {
    /** Tracked repositories (`owner/name`); empty means any. */
    repos: string[];
    /** Tracked branches; empty means the repository's default branch. */
    branches: string[];
    deployTags: boolean;
    apiUrl?: string;
    /** Authenticate as this GitHub App installation (key: secret githubAppPrivateKey) instead of a token. */
    app?: { appId: string; installationId: string };
  };
  slack: {
    defaultChannel?: string;
    apiUrl?: string;
    incomingWebhookUrl?: string;
  };
  /**
   * The stack-wide approver allowlist (STEPCD_APPROVERS: Slack user and group ids, `*` for anyone): who may
   * approve, reject and cancel in Slack when a WAIT_APPROVAL stage names no approvers of its own.
   */
  approvers?: string[];
  /** Name of this webhook function, for asynchronous self-invocation of large pushes. */
  webhookFunctionName?: string;
  /** Where people open `stepcd dashboard` (e.g. `http://127.0.0.1:8090`); Slack links deployments there. */
  dashboardUrl?: string;
  /** The stack's KMS key (STEPCD_KMS_KEY_ARN): the stage function decrypts spec.encryption's secrets with it. */
  kmsKeyArn?: string;
  /**
   * How long a queued deployment waits for the lock holder's hand-off before it checks the lock
   * itself (STEPCD_QUEUE_BACKSTOP_SECONDS, default 900): the backstop for a lost hand-off.
   */
  queueBackstopSeconds?: number;
}

/**
 * Each backstop loop enters 3 states (Queued, Begin, Route), so 900 s is 12 billed transitions
 * an hour of queueing; a lost hand-off (SendTaskSuccess failing past the SDK's retries) is rare enough
 * for its deployment to start up to 15 minutes late.
 */
export const DEFAULT_QUEUE_BACKSTOP_SECONDS = 900;

export interface Secrets {
  githubWebhookSecret?: string;
  githubToken?: string;
  /** PEM private key of the GitHub App named by `github.app`. */
  githubAppPrivateKey?: string;
  slackBotToken?: string;
  slackSigningSecret?: string;
}

type Env = Record<string, string | undefined>;

function required(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(`missing setting ${name}: set it in serverless.yml (or the environment) and redeploy`);
  return value;
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Both STEPCD_GITHUB_APP_ID and STEPCD_GITHUB_APP_INSTALLATION_ID, or neither (then a token is used). */
function githubApp(env: Env): Config['github']['app'] {
  const appId = env.STEPCD_GITHUB_APP_ID || undefined;
  const installationId = env.STEPCD_GITHUB_APP_INSTALLATION_ID || undefined;
  if (!appId && !installationId) return undefined;
  if (!appId || !installationId) {
    throw new ConfigError('set both STEPCD_GITHUB_APP_ID and STEPCD_GITHUB_APP_INSTALLATION_ID to use a GitHub App, or neither to use a token');
  }
  return { appId, installationId };
}

export function loadConfig(env: Env = process.env): Config {
  return {
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    tableName: required(env, 'STEPCD_TABLE'),
    eventBusName: env.STEPCD_EVENT_BUS ?? 'stepcd',
    stateMachineArn: required(env, 'STEPCD_STATE_MACHINE_ARN'),
    // Deliberately no AWS_ENDPOINT_URL here: on AWS the SDK's own resolution is right, and locally
    // endpoints come from the local cloud, never from a variable that may be left over in a shell.
    github: {
      repos: list(env.STEPCD_GITHUB_REPOS),
      branches: list(env.STEPCD_GITHUB_BRANCHES),
      deployTags: env.STEPCD_DEPLOY_TAGS === 'true',
      apiUrl: env.STEPCD_GITHUB_API_URL || undefined,
      app: githubApp(env),
    },
    slack: {
      defaultChannel: env.STEPCD_SLACK_CHANNEL || undefined,
      apiUrl: env.STEPCD_SLACK_API_URL || undefined,
      incomingWebhookUrl: env.STEPCD_SLACK_WEBHOOK_URL || undefined,
    },
    approvers: list(env.STEPCD_APPROVERS),
    ...(env.STEPCD_KMS_KEY_ARN ? { kmsKeyArn: env.STEPCD_KMS_KEY_ARN } : {}),
    webhookFunctionName: env.AWS_LAMBDA_FUNCTION_NAME || undefined,
    dashboardUrl: dashboardUrl(env.STEPCD_DASHBOARD_URL),
    queueBackstopSeconds: backstopSeconds(env.STEPCD_QUEUE_BACKSTOP_SECONDS),
  };
}

/** Whole seconds, at least 1: Step Functions' TimeoutSecondsPath takes a positive integer. */
function backstopSeconds(value: string | undefined): number {
  if (!value) return DEFAULT_QUEUE_BACKSTOP_SECONDS;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 1) throw new ConfigError(`STEPCD_QUEUE_BACKSTOP_SECONDS must be a whole number of seconds >= 1, got ${value}`);
  return seconds;
}

/** An http(s) URL without a trailing slash, or undefined when unset. */
function dashboardUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`STEPCD_DASHBOARD_URL must be an http(s) URL, got ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`STEPCD_DASHBOARD_URL must be an http(s) URL, got ${value}`);
  return value.replace(/\/+$/, '');
}
