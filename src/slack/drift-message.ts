import type { DriftNotifier } from '../drift/check.js';
import type { DriftState } from '../drift/types.js';
import { classifySlackError, realSleep, withRetries } from './retry.js';
import { slackApi } from './web-api.js';

export interface DriftNotifierOptions {
  botToken?: string;
  apiUrl?: string;
  defaultChannel?: string;
  incomingWebhookUrl?: string;
  dashboardUrl?: string;
}

/** One plain message per drift change: what differs, or that it cleared. */
export function driftMessageText(state: DriftState, dashboardUrl?: string): string {
  const { baseline } = state;
  const where = `${baseline.serviceName} in ${baseline.cluster}`;
  const link = dashboardUrl ? ` <${dashboardUrl.replace(/\/$/, '')}/apps/${encodeURIComponent(state.app)}|dashboard>` : '';
  if (state.status === 'IN_SYNC')
    return `:white_check_mark: *${state.app}*: drift resolved, ${where} matches deployment ${baseline.deploymentId} again.${link}`;
  const lines = state.items.slice(0, 10).map((i) => `• \`${i.field}\`: expected ${i.expected}, found ${i.actual}`);
  const more = state.items.length > 10 ? [`• … and ${state.items.length - 10} more`] : [];
  return [
    `:warning: *${state.app}* drifted from deployment ${baseline.deploymentId} (commit ${baseline.commitSha.slice(0, 7)}): ${where} was changed outside stepcd.${link}`,
    ...lines,
    ...more,
  ].join('\n');
}

/** Over the bot token (chat.postMessage) or an incoming webhook; neither configured sends nothing. */
export function createDriftNotifier(opts: DriftNotifierOptions): DriftNotifier {
  if (opts.botToken) {
    const client = slackApi({ token: opts.botToken, ...(opts.apiUrl ? { apiUrl: opts.apiUrl } : {}), timeoutMs: 2_500 });
    return {
      async driftChanged(state) {
        const channel = state.baseline.slackChannel ?? opts.defaultChannel;
        if (!channel) return;
        const text = driftMessageText(state, opts.dashboardUrl);
        await withRetries(() => client.call('chat.postMessage', { channel, text }), classifySlackError, { maxAttempts: 3, sleep: realSleep });
      },
    };
  }
  const url = opts.incomingWebhookUrl;
  if (url) {
    return {
      async driftChanged(state) {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ text: driftMessageText(state, opts.dashboardUrl) }),
          signal: AbortSignal.timeout(2_500),
        });
        if (!res.ok) throw new Error(`incoming webhook answered HTTP ${res.status}`);
      },
    };
  }
  return { driftChanged: async () => undefined };
}
