import type { DeploymentRecord } from '../domain/deployment.js';
import { DetailType } from '../domain/events.js';
import { detailTypeForStatus } from '../notify/events.js';
import type { ApprovalRequestInfo, ApprovalUpdateInfo, Notifier, NotifierHistory, NotifyLogger, NotifySettings } from './notifier.js';
import { loadApprovalViews, openApprovalView } from './views.js';
import { mentionsFor, renderDeploymentMessage, userMention, type ApprovalView, type SlackMessage } from './blocks.js';
import { classifySlackError, withRetries } from './retry.js';
import { slackApi, type SlackApi } from './web-api.js';

export interface SlackWebApiNotifierOptions {
  botToken: string;
  /** Web API base URL ending in `/` (default Slack's); tests pass a local stand-in. */
  apiUrl?: string;
  defaultChannel?: string;
  history: NotifierHistory;
  logger: NotifyLogger;
  maxAttempts: number;
  timeoutMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => Date;
  dashboardUrl?: string;
}

type MessageRef = { channel: string; ts: string };

/**
 * One message per deployment: `chat.postMessage` the first time (its channel and ts are stored in
 * history), `chat.update` ever after. Edits do not notify anyone, so mentions go to a threaded reply.
 */
export class SlackWebApiNotifier implements Notifier {
  private readonly client: SlackApi;
  /** Refs posted by this instance, so a caller holding a stale record does not post twice. */
  private readonly refs = new Map<string, MessageRef>();

  constructor(private readonly opts: SlackWebApiNotifierOptions) {
    // Bounded so the interactions endpoint can still answer Slack within 3 s; retries are this.call's.
    this.client = slackApi({ token: opts.botToken, ...(opts.apiUrl ? { apiUrl: opts.apiUrl } : {}), timeoutMs: opts.timeoutMs });
  }

  deploymentStarted(record: DeploymentRecord, settings?: NotifySettings): Promise<void> {
    return this.publish('deploymentStarted', record, { settings, event: DetailType.DEPLOYMENT_STARTED });
  }

  stageUpdated(record: DeploymentRecord, settings?: NotifySettings): Promise<void> {
    const event = record.status === 'ROLLING_BACK' ? DetailType.DEPLOYMENT_ROLLING_BACK : undefined;
    return this.publish('stageUpdated', record, { settings, event });
  }

  approvalRequested(record: DeploymentRecord, request: ApprovalRequestInfo, settings?: NotifySettings): Promise<void> {
    const fresh = openApprovalView(record, request, this.opts.now());
    // Approvers are always pinged, on top of whatever notification.mentions asks for.
    const extra = request.approvers.map(userMention);
    return this.publish('approvalRequested', record, {
      settings,
      fresh,
      event: DetailType.DEPLOYMENT_WAIT_APPROVAL,
      extraMentions: extra,
      threadText: `approval needed for *${record.app.name}*`,
    });
  }

  approvalUpdated(record: DeploymentRecord, update: ApprovalUpdateInfo, settings?: NotifySettings): Promise<void> {
    const event = update.approval.status === 'APPROVED' ? DetailType.DEPLOYMENT_APPROVED : undefined;
    return this.publish('approvalUpdated', record, { settings, fresh: update.approval, event });
  }

  async deploymentEnded(record: DeploymentRecord, settings?: NotifySettings): Promise<void> {
    await this.publish('deploymentEnded', record, { settings, event: endEvent(record) });
    this.refs.delete(record.deploymentId);
  }

  private async publish(
    what: string,
    record: DeploymentRecord,
    o: { settings?: NotifySettings; fresh?: ApprovalView; event?: string; extraMentions?: string[]; threadText?: string },
  ): Promise<void> {
    try {
      const approvals = await loadApprovalViews(this.opts.history, record, o.fresh);
      const message = renderDeploymentMessage(record, approvals, {
        now: this.opts.now().toISOString(),
        interactive: true,
        dashboardUrl: this.opts.dashboardUrl,
      });
      const ref = await this.upsert(record, message, o.settings);
      if (!ref) return;
      const mentions = new Set([...(o.extraMentions ?? []), ...(o.event ? mentionsFor(o.settings?.mentions ?? [], o.event) : [])]);
      if (mentions.size > 0) {
        const text = `${[...mentions].join(' ')} ${o.threadText ?? `${record.app.name}: ${o.event ?? what}`}`;
        await this.call(() => this.client.call('chat.postMessage', { channel: ref.channel, thread_ts: ref.ts, text }));
      }
    } catch (err) {
      this.opts.logger.error('slack notification failed; the deployment carries on', {
        notification: what,
        deploymentId: record.deploymentId,
        app: record.app.name,
        error: err,
      });
    }
  }

  private async upsert(record: DeploymentRecord, message: SlackMessage, settings?: NotifySettings): Promise<MessageRef | undefined> {
    const ref = await this.findRef(record);
    if (ref) {
      await this.call(() => this.client.call('chat.update', { channel: ref.channel, ts: ref.ts, text: message.text, blocks: message.blocks }));
      return ref;
    }
    const channel = settings?.slackChannel ?? this.opts.defaultChannel;
    if (!channel) {
      this.opts.logger.warn('no Slack channel for this app (spec.stepcd.slackChannel) and no default; not posting', {
        deploymentId: record.deploymentId,
      });
      return undefined;
    }
    const posted = await this.call(() =>
      this.client.call<{ channel?: string; ts?: string }>('chat.postMessage', { channel, text: message.text, blocks: message.blocks }),
    );
    if (!posted.channel || !posted.ts) throw new Error('chat.postMessage answered without channel and ts');
    const created = { channel: posted.channel, ts: posted.ts };
    this.refs.set(record.deploymentId, created);
    await this.opts.history.setNotificationRef(record.deploymentId, created);
    return created;
  }

  private async findRef(record: DeploymentRecord): Promise<MessageRef | undefined> {
    return record.notification ?? this.refs.get(record.deploymentId) ?? (await this.opts.history.getDeployment(record.deploymentId))?.notification;
  }

  private call<T>(fn: () => Promise<T>): Promise<T> {
    return withRetries(fn, classifySlackError, { maxAttempts: this.opts.maxAttempts, sleep: this.opts.sleep });
  }
}

/** The event a final message names: the status's own (src/notify/events.ts), for the three ends a message shows. */
export function endEvent(record: DeploymentRecord): string | undefined {
  return MESSAGE_ENDS.has(record.status) ? detailTypeForStatus(record.status) : undefined;
}

const MESSAGE_ENDS: ReadonlySet<DeploymentRecord['status']> = new Set(['SUCCESS', 'FAILURE', 'CANCELLED']);
