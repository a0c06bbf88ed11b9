import type { DeploymentState } from '../domain/deployment.js';
import type { StagePorts } from './ports.js';

/**
 * The first step of a rollback: the listener rules go back to how they stood before this deployment
 * changed a weight (`state.trafficRestore`, taken by routeTraffic from the reads it made then), one
 * write per rule and nothing read first, so users leave the failed version as soon as the failure is
 * caught. Traffic before tasks is PipeCD's order too. No snapshot (no weight was ever changed) means
 * no write; a retry writes the same actions again. The rollback steps that follow read the world and
 * do the rest, a canary still holding weight included.
 */
export async function restoreTraffic(state: DeploymentState, ports: Pick<StagePorts, 'elb' | 'log'>): Promise<{ state: DeploymentState; restored: string[] }> {
  const snapshot = state.trafficRestore;
  if (!snapshot) return { state, restored: [] };
  const restored: string[] = [];
  for (const rule of snapshot.rules) {
    if (await ports.elb.restoreRule(rule)) restored.push(rule.ruleArn);
    else ports.log('rollback found a snapshotted listener rule gone; nothing to restore on it', { ruleArn: rule.ruleArn });
  }
  if (restored.length > 0) ports.log('rollback restored the listener rules before anything else', { ruleArns: restored });
  return { state: restored.length > 0 ? { ...state, touched: true } : state, restored };
}
