import { createHash } from 'node:crypto';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export interface DeploymentIdInput {
  repo: string;
  /**
   * The app config's path in the repository (`apps/web/app.pipecd.yaml`). Not the directory: one
   * directory may hold several `*.pipecd.yaml`, and each is its own app with its own deployments.
   */
  configPath: string;
  sha: string;
  /** Makes a new id for a deliberate re-deploy of the same commit (e.g. `stepcd deploy`). */
  salt?: string;
}

/**
 * Deterministic: a redelivered push maps to the same id, so history writes and StartExecution dedupe.
 * The fields are joined with NUL, which none of them can contain, so distinct inputs never collide by concatenation.
 */
export function deploymentIdFor({ repo, configPath, sha, salt }: DeploymentIdInput): string {
  const parts = [repo, configPath, sha, ...(salt === undefined ? [] : [salt])];
  return `d-${sha256(parts.join('\u0000')).slice(0, 20)}`;
}

const MAX_EXECUTION_NAME = 80;

/**
 * `<app>-<sha7>-<hash8>`, limited to what SFN allows in execution names ([A-Za-z0-9_-], ≤ 80).
 * The app part is truncated, never the suffix, which carries the uniqueness.
 */
export function executionNameFor(appName: string, sha: string, deploymentId: string): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '-');
  const suffix = `-${clean(sha.slice(0, 7)) || 'nosha'}-${sha256(deploymentId).slice(0, 8)}`;
  const app = (clean(appName) || 'app').slice(0, MAX_EXECUTION_NAME - suffix.length);
  return `${app}${suffix}`;
}
