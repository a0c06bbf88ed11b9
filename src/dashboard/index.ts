export { createDashboardApp, type DashboardOptions } from './app.js';
export { NO_CONSOLE, type ConsoleLinks, type DashboardDeps, type ExternalLink, type LiveDeployment, type LiveDeploymentReader } from './ports.js';
export { dashboardListener, loopbackHosts, serveDashboard, type DashboardServer } from './server.js';
