import { html } from 'hono/html';
import type { DriftState } from '../../drift/types.js';
import { deploymentLink, time, type Clock } from './format.js';

/** What the app list and app page show of an app's APP#<app>/DRIFT item (undefined: never checked). */
export type DriftView = Pick<DriftState, 'status' | 'items' | 'since'> & { deploymentId: string };

export function driftViewOf(state: DriftState | undefined): DriftView | undefined {
  return state && { status: state.status, items: state.items, since: state.since, deploymentId: state.baseline.deploymentId };
}

/** The mark in the app list: a badge that says it in words, so it needs no colour to be read. */
export function driftMark(drift: DriftView | undefined, clock: Clock) {
  if (!drift) return html`<span class="sub">not checked</span>`;
  if (drift.status === 'IN_SYNC') return html`<span class="badge tone-ok">In sync</span>`;
  const n = drift.items.length;
  return html`<span class="badge tone-bad drift-mark">Drifted</span> ${String(n)} difference${n === 1 ? '' : 's'} since ${time(drift.since, clock)}`;
}

/** The app page: the mark, and each difference from the last good deployment. */
export function driftDetail(drift: DriftView | undefined, clock: Clock) {
  if (!drift || drift.status === 'IN_SYNC') return driftMark(drift, clock);
  return html`${driftMark(drift, clock)} from ${deploymentLink(drift.deploymentId)}
<ul class="drift-items">${drift.items.map((i) => html`<li><code>${i.field}</code>: expected ${i.expected}, found ${i.actual}</li>`)}</ul>`;
}
