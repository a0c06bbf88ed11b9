import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { html } from 'hono/html';
import { HTTPException } from 'hono/http-exception';
import { FINAL_STATUSES } from '../domain/deployment.js';
import { runAction, type DashboardAction } from './actions.js';
import { readAsset } from './assets.js';
import type { DashboardDeps } from './ports.js';
import { readAppHistory, readDeployment, readOverview } from './read.js';
import { appHistoryBody } from './views/app-history.js';
import { deploymentBody } from './views/deployment.js';
import { clockFor, type Clock } from './views/format.js';
import { flash, layout, mainElement, type PageFrame } from './views/layout.js';
import { confirmBody, problemBody } from './views/messages.js';
import { overviewBody } from './views/overview.js';

export interface DashboardOptions {
  /**
   * `host:port` values the Host header may carry. The dashboard acts with the viewer's AWS
   * credentials, so a page from another site must not reach it by DNS rebinding; absent: any.
   */
  allowedHosts?: () => readonly string[];
}

/** htmx stops polling on 286: a finished deployment's page has nothing more to fetch. */
const STOP_POLLING = 286;

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/**
 * The dashboard as a Hono app: server-rendered pages whose `<main>` htmx refreshes in place, and the
 * Approve/Reject/Cancel forms. Served by `stepcd dashboard` (over AWS) and by `stepcd local`.
 */
export function createDashboardApp(deps: DashboardDeps, options: DashboardOptions = {}): Hono {
  const app = new Hono();
  const refreshSeconds = deps.refreshSeconds ?? 2;

  app.use('*', async (c, next) => {
    const allowed = options.allowedHosts?.();
    if (allowed && !allowed.includes(c.req.header('host') ?? '')) return c.text('unknown host', 421);
    await next();
    if (!c.req.path.startsWith('/assets/')) for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.header(name, value);
  });
  // Only same-origin forms may act (the default: Origin must be this server's own), and they are small.
  app.use('*', csrf());
  app.use('*', bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.text('form too large', 413) }));

  app.get('/assets/:name', async (c) => {
    const asset = await readAsset(c.req.param('name'));
    if (!asset) return c.notFound();
    return c.body(asset.body, 200, { 'content-type': asset.type, 'cache-control': 'max-age=3600' });
  });

  app.get('/', async (c) => {
    const clock = clockOf(c);
    const model = await readOverview(deps);
    return page(c, { title: 'Apps', livePath: '/' }, overviewBody(model, clock));
  });

  app.get('/apps/:name', async (c) => {
    const name = c.req.param('name');
    const model = await readAppHistory(deps, name);
    return page(c, { title: `${name} history`, livePath: c.req.path }, appHistoryBody(model, clockOf(c)));
  });

  app.get('/deployments/:id', async (c) => {
    const id = c.req.param('id');
    const model = await readDeployment(deps, id);
    if (!model) return page(c, { title: 'Not found' }, problemBody('No such deployment', `There is no deployment ${id} on ${deps.label}.`), 404);
    const final = FINAL_STATUSES.includes(model.record.status);
    const status = final && isHtmx(c) ? STOP_POLLING : 200;
    return page(c, { title: `${model.record.app.name} ${id}`, livePath: c.req.path }, deploymentBody(model, clockOf(c)), status);
  });

  app.post('/deployments/:id/:action{approve|reject|cancel}', async (c) => {
    const id = c.req.param('id');
    const action = c.req.param('action') as DashboardAction;
    const form = await c.req.parseBody();
    const reason = typeof form.reason === 'string' ? form.reason.trim().slice(0, 200) : '';
    if (action !== 'approve' && form.confirm !== 'yes') {
      return page(c, { title: 'Confirm' }, confirmBody({ deploymentId: id, action, ...(reason ? { reason } : {}) }));
    }
    let outcome;
    try {
      outcome = await runAction(deps, action, id, reason ? { reason } : {});
    } catch (err) {
      outcome = { ok: false, message: (err as Error).message };
    }
    const model = await readDeployment(deps, id);
    const body = model ? deploymentBody(model, clockOf(c)) : problemBody('No such deployment', `There is no deployment ${id} on ${deps.label}.`);
    const note = flash(outcome.ok ? 'ok' : 'error', outcome.message);
    const frame = { title: model ? `${model.record.app.name} ${id}` : 'Not found', livePath: `/deployments/${encodeURIComponent(id)}` };
    // htmx swaps only 2xx answers, and a refusal (not an approver, already closed) is news to show.
    if (isHtmx(c)) return c.html(html`${mainElement({ ...frame, refreshSeconds }, body)}${note}`);
    return c.html(layout({ ...frame, label: deps.label, refreshSeconds }, mainElement({ ...frame, refreshSeconds }, body), note), outcome.ok ? 200 : 409);
  });

  app.notFound((c) => page(c, { title: 'Not found' }, problemBody('Not found', `Nothing at ${c.req.path}.`), 404));

  app.onError((err, c) => {
    // The CSRF guard's refusal (403) is an answer, not a failure of the dashboard.
    if (err instanceof HTTPException) return page(c, { title: 'Refused' }, problemBody('Refused', err.message), err.status);
    return page(c, { title: 'Error' }, problemBody('Something went wrong', err.message), 500);
  });

  /** The full document, or for htmx (a refresh or a first re-render) its `<main>` only. */
  function page(c: Context, frame: Omit<PageFrame, 'label' | 'refreshSeconds'>, body: unknown, status: number = 200) {
    const full: PageFrame = { ...frame, label: deps.label, refreshSeconds };
    const main = mainElement(full, body);
    return c.html(isHtmx(c) ? main : layout(full, main), status as 200);
  }

  function clockOf(c: Context): Clock {
    return clockFor(deps.now(), getCookie(c, 'stepcd_tz'), c.req.header('accept-language'));
  }

  return app;
}

function isHtmx(c: Context): boolean {
  return c.req.header('hx-request') === 'true';
}
