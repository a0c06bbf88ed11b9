import { createServer, type RequestListener } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import { listenOnLoopback, type LoopbackServer } from '../http/loopback-server.js';

/** The app as a Node request listener, for a server of its own or the local stack's HTTP front. */
export function dashboardListener(app: Hono): RequestListener {
  return getRequestListener(app.fetch);
}

export type DashboardServer = LoopbackServer;

/** Listens on 127.0.0.1 only: the dashboard acts with the viewer's credentials, for the viewer alone. */
export async function serveDashboard(listener: RequestListener, port = 0): Promise<DashboardServer> {
  return listenOnLoopback(createServer(listener), port);
}

/** The Host values a browser sends for a loopback server on `port`. */
export function loopbackHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}
