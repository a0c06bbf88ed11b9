import { html } from 'hono/html';
import type { DeploymentRecord, DeploymentStatus, StageRecord, StageStatus } from '../../domain/deployment.js';
import { formatDuration } from '../../slack/blocks.js';

/**
 * How a page shows time: in the viewer's time zone (sent by the page's script as a cookie, UTC until
 * then) and locale, with UTC on hover. `now` is the records' clock, never the server's wall clock,
 * so a running stage's duration agrees with the stage times beside it.
 */
export interface Clock {
  now: Date;
  timeZone: string;
  locale: string;
}

export function clockFor(now: Date, timeZone: string | undefined, acceptLanguage: string | undefined): Clock {
  return { now, timeZone: validTimeZone(timeZone) ?? 'UTC', locale: firstLocale(acceptLanguage) };
}

function validTimeZone(tz: string | undefined): string | undefined {
  if (!tz || tz.length > 64) return undefined;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: tz }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

function firstLocale(header: string | undefined): string {
  const tag = (header ?? '').split(',', 1)[0]?.split(';', 1)[0]?.trim() ?? '';
  try {
    return (tag && Intl.DateTimeFormat.supportedLocalesOf([tag])[0]) || 'en';
  } catch {
    return 'en';
  }
}

/** `<time>` in the viewer's zone, its title the same instant in UTC. */
export function time(iso: string | undefined, clock: Clock) {
  if (!iso) return html`<span aria-label="not yet">–</span>`;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return html`${iso}`;
  const local = new Intl.DateTimeFormat(clock.locale, {
    timeZone: clock.timeZone,
    dateStyle: 'medium',
    timeStyle: 'medium',
  }).format(at);
  const utc = `${at
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '')} UTC`;
  return html`<time datetime="${at.toISOString()}" title="${utc}">${local}${clock.timeZone === 'UTC' ? ' UTC' : ''}</time>`;
}

/** A stage's duration, counting to the records' `now` while it runs. */
export function stageDuration(stage: StageRecord, clock: Clock): string {
  if (!stage.startedAt) return '–';
  const end = stage.endedAt ?? (stage.status === 'RUNNING' ? clock.now.toISOString() : undefined);
  return end ? formatDuration(Date.parse(end) - Date.parse(stage.startedAt)) : '–';
}

export function took(record: DeploymentRecord, clock: Clock): string {
  const end = record.endedAt ?? clock.now.toISOString();
  return `${formatDuration(Date.parse(end) - Date.parse(record.createdAt))}${record.endedAt ? '' : ' so far'}`;
}

const STATUS_WORDS: Record<DeploymentStatus, string> = {
  PENDING: 'Pending',
  RUNNING: 'Running',
  WAITING_APPROVAL: 'Waiting for approval',
  ROLLING_BACK: 'Rolling back',
  SUCCESS: 'Succeeded',
  FAILURE: 'Failed',
  CANCELLED: 'Cancelled',
  SUPERSEDED: 'Superseded',
  TRIGGER_FAILED: 'Trigger failed',
};

const STAGE_WORDS: Record<StageStatus, string> = {
  NOT_STARTED: 'Not started',
  RUNNING: 'Running',
  SUCCESS: 'Succeeded',
  FAILURE: 'Failed',
  SKIPPED: 'Skipped',
  CANCELLED: 'Cancelled',
};

type Tone = 'ok' | 'bad' | 'busy' | 'wait' | 'idle';

const STATUS_TONE: Record<DeploymentStatus | StageStatus, Tone> = {
  PENDING: 'idle',
  RUNNING: 'busy',
  WAITING_APPROVAL: 'wait',
  ROLLING_BACK: 'bad',
  SUCCESS: 'ok',
  FAILURE: 'bad',
  CANCELLED: 'idle',
  SUPERSEDED: 'idle',
  TRIGGER_FAILED: 'bad',
  NOT_STARTED: 'idle',
  SKIPPED: 'idle',
};

/** The status in words, in a badge whose colour repeats what the words say. */
export function statusBadge(status: DeploymentStatus) {
  return html`<span class="badge tone-${STATUS_TONE[status]}">${STATUS_WORDS[status]}</span>`;
}

export function stageBadge(status: StageStatus) {
  return html`<span class="badge tone-${STATUS_TONE[status]}">${STAGE_WORDS[status]}</span>`;
}

export function statusWords(status: DeploymentStatus): string {
  return STATUS_WORDS[status];
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

export function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}

/** The commit as a link when the record has its URL. */
export function commitLink(commit: DeploymentRecord['commit']) {
  const sha = html`<code>${shortSha(commit.sha)}</code>`;
  return commit.url && /^https?:\/\//.test(commit.url) ? html`<a href="${commit.url}">${sha}</a>` : sha;
}

export function deploymentLink(id: string, text?: string) {
  return html`<a href="/deployments/${encodeURIComponent(id)}">${text ?? id}</a>`;
}

export function appLink(name: string) {
  return html`<a href="/apps/${encodeURIComponent(name)}">${name}</a>`;
}
