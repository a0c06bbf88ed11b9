import { html } from 'hono/html';

export interface PageFrame {
  title: string;
  /** The target's label, e.g. `AWS stage prod (eu-west-1)`. */
  label: string;
  /** The path this page polls for its live `<main>`; absent for pages that do not change. */
  livePath?: string;
  refreshSeconds: number;
}

// htmx without eval (the CSP forbids it) and without the inline indicator styles it would inject.
const HTMX_CONFIG = JSON.stringify({ allowEval: false, includeIndicatorStyles: false, defaultSettleDelay: 0 });

/**
 * The whole document around a page's `<main>`. `<main>` alone is what live refreshes and actions
 * answer; htmx morphs it in place, so focus, a half-typed reason and scroll position survive.
 */
export function layout(frame: PageFrame, main: unknown, flashed?: unknown) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="htmx-config" content="${HTMX_CONFIG}">
<title>${frame.title} · stepcd</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/dashboard.css">
<script src="/assets/htmx.min.js" defer></script>
<script src="/assets/idiomorph-ext.min.js" defer></script>
<script src="/assets/dashboard.js" defer></script>
</head>
<body hx-ext="morph">
<a class="skip" href="#main">Skip to content</a>
<header class="site">
<nav aria-label="Main"><a class="brand" href="/">stepcd</a><a href="/">Apps</a></nav>
<p class="target">${frame.label}</p>
</header>
${flashed ?? html`<div id="flash" role="status" aria-live="polite"></div>`}
${main}
<footer class="site"><p>Times are in your time zone; hover one for UTC.</p></footer>
</body>
</html>`;
}

/** `<main>` with, for a live page, the polling that keeps it current. */
export function mainElement(frame: Pick<PageFrame, 'livePath' | 'refreshSeconds'>, body: unknown) {
  return frame.livePath
    ? html`<main id="main" hx-get="${frame.livePath}" hx-trigger="every ${String(frame.refreshSeconds)}s" hx-swap="morph:outerHTML">${body}</main>`
    : html`<main id="main">${body}</main>`;
}

/** The out-of-band flash answer to an action, announced by the `role=status` region. */
export function flash(kind: 'ok' | 'error', message: string) {
  return html`<div id="flash" role="status" aria-live="polite" hx-swap-oob="true"><p class="flash flash-${kind}">${message}</p></div>`;
}

/** A table that stacks into labelled rows on a phone: each cell carries its column's name (its content in one span, one grid item). */
export function table(caption: string, headers: string[], rows: unknown[][]) {
  return html`<table>
<caption>${caption}</caption>
<thead><tr>${headers.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${rows.map((row) => html`<tr>${row.map((cell, i) => html`<td data-label="${headers[i] ?? ''}"><span>${cell}</span></td>`)}</tr>`)}</tbody>
</table>`;
}
