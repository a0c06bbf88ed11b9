import type { DeploymentRecord } from '../domain/deployment.js';
import type { DeploymentPlan, PlanOptions } from '../domain/plan.js';
import type { ApprovalStore } from '../history/approval-store.js';
import type { DeploymentStore } from '../history/deployment-store.js';
import type { ApprovalView } from './blocks.js';
import { IncomingWebhookNotifier } from './incoming-webhook.js';
import { realSleep } from './retry.js';
import { SlackWebApiNotifier } from './web-api-notifier.js';

/**
 * Port: human notifications about a deployment (Slack today). Every method resolves and NEVER
 * throws: a chat outage must not fail or roll back a deployment. Implementations retry a bounded
 * number of times, then log the error and give up. This is the one place where swallowing is right.
 *
 * `settings` carries the app's channel and `notification.mentions`; callers holding the plan pass
 * `plan.options` as is. Without it, the message still updates in place but nobody is mentioned.
 */
export interface Notifier {
  deploymentStarted(record: DeploymentRecord, settings?: NotifySettings): Promise<void>;
  stageUpdated(record: DeploymentRecord, settings?: NotifySettings): Promise<void>;
  approvalRequested(record: DeploymentRecord, request: ApprovalRequestInfo, settings?: NotifySettings): Promise<void>;
  approvalUpdated(record: DeploymentRecord, update: ApprovalUpdateInfo, settings?: NotifySettings): Promise<void>;
  deploymentEnded(record: DeploymentRecord, settings?: NotifySettings): Promise<void>;
}

export type NotifySettings = Partial<Pick<PlanOptions, 'slackChannel' | 'mentions'>>;

/** The plan's Slack channel and mentions, as every caller holding the plan passes them. */
export function notifySettings(plan: Pick<DeploymentPlan, 'options'>): NotifySettings {
  return { slackChannel: plan.options.slackChannel, mentions: plan.options.mentions };
}

export interface ApprovalRequestInfo {
  stageIndex: number;
  /** Slack user ids; empty means anyone may approve. */
  approvers: string[];
  minApproverNum: number;
  expiresAt: string;
}

export interface ApprovalUpdateInfo {
  /** The approval after the change (token-free). */
  approval: ApprovalView;
  /** Who caused this update, e.g. the user whose click was just recorded. */
  by: string;
}

export class NoopNotifier implements Notifier {
  async deploymentStarted(): Promise<void> {}
  async stageUpdated(): Promise<void> {}
  async approvalRequested(): Promise<void> {}
  async approvalUpdated(): Promise<void> {}
  async deploymentEnded(): Promise<void> {}
}

/** The logging a notifier needs; powertools' Logger satisfies it. */
export interface NotifyLogger {
  warn(message: string, ...extra: unknown[]): void;
  error(message: string, ...extra: unknown[]): void;
}

/** The slice of history a notifier reads and writes: approvals to render and the message ref. */
export type NotifierHistory = Pick<ApprovalStore, 'getApproval'> & Pick<DeploymentStore, 'getDeployment' | 'setNotificationRef'>;

export interface CreateNotifierOptions {
  botToken?: string;
  incomingWebhookUrl?: string;
  /** Slack Web API base URL (ends with `/`); tests point it at a local stand-in. */
  apiUrl?: string;
  defaultChannel?: string;
  /** Messages link a deployment to its page there; to its Step Functions execution otherwise. */
  dashboardUrl?: string;
  history: NotifierHistory;
  logger?: NotifyLogger;
  /** Attempts per Slack call, including the first (default 3). */
  maxAttempts?: number;
  /** Per-call timeout of a Slack request (default 2.5 s); the interactions endpoint uses less. */
  timeoutMs?: number;
  /** Waits between attempts; tests pass a no-op. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
}

const consoleLogger: NotifyLogger = {
  warn: (message, ...extra) => console.warn(message, ...extra),
  error: (message, ...extra) => console.error(message, ...extra),
};

/**
 * Chooses how to notify: the Web API with a bot token (one message kept current, approval buttons),
 * an incoming webhook without one (new messages, no buttons), or nothing at all, silently.
 * (The implementations import only types from this file, so there is no import cycle at runtime.)
 */
export function createNotifier(opts: CreateNotifierOptions): Notifier {
  const common = {
    history: opts.history,
    logger: opts.logger ?? consoleLogger,
    maxAttempts: opts.maxAttempts ?? 3,
    sleep: opts.sleep ?? realSleep,
    now: opts.now ?? (() => new Date()),
    ...(opts.dashboardUrl ? { dashboardUrl: opts.dashboardUrl } : {}),
  };
  if (opts.botToken) {
    return new SlackWebApiNotifier({
      ...common,
      botToken: opts.botToken,
      apiUrl: opts.apiUrl,
      defaultChannel: opts.defaultChannel,
      timeoutMs: opts.timeoutMs ?? 2_500,
    });
  }
  if (opts.incomingWebhookUrl) return new IncomingWebhookNotifier({ ...common, url: opts.incomingWebhookUrl });
  return new NoopNotifier();
}
