import type { DeploymentRecord } from '../domain/deployment.js';
import { DetailType } from '../domain/events.js';
import type { ApprovalRequestInfo, ApprovalUpdateInfo, Notifier, NotifierHistory, NotifyLogger, NotifySettings } from './notifier.js';
import { loadApprovalViews, openApprovalView } from './views.js';
import { mentionsFor, renderDeploymentMessage, userMention, type ApprovalView } from './blocks.js';
import { withRetries, type RetryDecision } from './retry.js';
import { endEvent } from './web-api-notifier.js';

export interface IncomingWebhookNotifierOptions {
  url: string;
  history: NotifierHistory;
  logger: NotifyLogger;
  maxAttempts: number;
  sleep: (ms: number) => Promise<void>;
  now: () => Date;
  dashboardUrl?: string;
  fetch?: typeof fetch;
}

/**
 * Notifications without a bot token. An incoming webhook can only post new messages (no update, no
 * buttons), so it posts at the moments that matter (start, approval needed, approval closed, end)
 * rather than once per stage, and tells approvers to use the CLI.
 */
export class IncomingWebhookNotifier implements Notifier {
  constructor(private readonly opts: IncomingWebhookNotifierOptions) {}

  deploymentStarted(record: DeploymentRecord, settings?: NotifySettings): Promise<void> {
    return this.post('deploymentStarted', record, { settings, event: DetailType.DEPLOYMENT_STARTED });
  }

  /** Skipped: without chat.update a post per stage would flood the channel. */
  async stageUpdated(): Promise<void> {}

  approvalRequested(record: DeploymentRecord, request: ApprovalRequestInfo, settings?: NotifySettings): Promise<void> {
    const fresh = openApprovalView(record, request, this.opts.now());
    return this.post('approvalRequested', record, {
      settings,
      fresh,
      event: DetailType.DEPLOYMENT_WAIT_APPROVAL,
      extraMentions: request.approvers.map(userMention),
    });
  }

  async approvalUpdated(record: DeploymentRecord, update: ApprovalUpdateInfo, settings?: NotifySettings): Promise<void> {
    // A vote that leaves the approval open is not worth a new message.
    if (update.approval.status === 'OPEN') return;
    const event = update.approval.status === 'APPROVED' ? DetailType.DEPLOYMENT_APPROVED : undefined;
    return this.post('approvalUpdated', record, { settings, fresh: update.approval, event });
  }

  deploymentEnded(record: DeploymentRecord, settings?: NotifySettings): Promise<void> {
    return this.post('deploymentEnded', record, { settings, event: endEvent(record) });
  }

  private async post(
    what: string,
    record: DeploymentRecord,
    o: { settings?: NotifySettings; fresh?: ApprovalView; event?: string; extraMentions?: string[] },
  ): Promise<void> {
    try {
      const approvals = await loadApprovalViews(this.opts.history, record, o.fresh);
      const message = renderDeploymentMessage(record, approvals, {
        now: this.opts.now().toISOString(),
        interactive: false,
        dashboardUrl: this.opts.dashboardUrl,
      });
      const mentions = new Set([...(o.extraMentions ?? []), ...(o.event ? mentionsFor(o.settings?.mentions ?? [], o.event) : [])]);
      const text = mentions.size > 0 ? `${[...mentions].join(' ')} ${message.text}` : message.text;
      const doFetch = this.opts.fetch ?? fetch;
      await withRetries(
        async () => {
          const res = await doFetch(this.opts.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ text, blocks: message.blocks }),
            signal: AbortSignal.timeout(2_500),
          });
          if (!res.ok) throw new WebhookHttpError(res.status, await res.text());
        },
        classifyWebhookError,
        { maxAttempts: this.opts.maxAttempts, sleep: this.opts.sleep },
      );
    } catch (err) {
      this.opts.logger.error('slack incoming webhook failed; the deployment carries on', {
        notification: what,
        deploymentId: record.deploymentId,
        app: record.app.name,
        error: err,
      });
    }
  }
}

class WebhookHttpError extends Error {
  constructor(
    readonly status: number,
    body: string,
  ) {
    super(`incoming webhook answered HTTP ${status}: ${body.slice(0, 200)}`);
    this.name = 'WebhookHttpError';
  }
}

/** 429 and 5xx are worth another try; other 4xx (no_service, invalid_payload) are not. Network errors are. */
function classifyWebhookError(err: unknown): RetryDecision {
  if (err instanceof WebhookHttpError) return { retry: err.status === 429 || err.status >= 500 };
  return { retry: true };
}
