import { html } from 'hono/html';

/** Reject and Cancel ask first; without the page's script, this page is the question. */
export function confirmBody(opts: { deploymentId: string; action: 'reject' | 'cancel'; reason?: string }) {
  const base = `/deployments/${encodeURIComponent(opts.deploymentId)}`;
  const verb = opts.action === 'reject' ? 'Reject' : 'Cancel';
  return html`<h1>${verb} deployment?</h1>
<p>${verb === 'Reject' ? 'Rejecting' : 'Cancelling'} <code>${opts.deploymentId}</code> rolls it back.</p>
<form method="post" action="${base}/${opts.action}">
<input type="hidden" name="confirm" value="yes">
${opts.reason ? html`<input type="hidden" name="reason" value="${opts.reason}">` : ''}
<button type="submit" class="danger">Yes, ${verb.toLowerCase()} it</button>
<a href="${base}">No, go back</a>
</form>`;
}

export function problemBody(title: string, message: string) {
  return html`<h1>${title}</h1><p class="flash flash-error">${message}</p><p><a href="/">Back to the apps</a></p>`;
}
