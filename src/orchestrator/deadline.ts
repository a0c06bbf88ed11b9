import type { DeploymentPlan } from '../domain/plan.js';

/**
 * When the deployment must have finished, epoch ms: spec.timeout counted from when it took the app
 * lock (`lockedAt`), so time queued behind another deployment is not spent from it. Data without
 * `lockedAt` (an execution started before Begin recorded it) counts from planning, as it used to.
 */
export function deploymentDeadline(data: { plan: DeploymentPlan; lockedAt?: string }): number {
  const from = data.lockedAt ? Date.parse(data.lockedAt) : Date.parse(data.plan.createdAt);
  return from + data.plan.options.timeoutSeconds * 1000;
}

export function timeoutMessage(plan: DeploymentPlan): string {
  return `deployment exceeded its timeout of ${plan.options.timeoutSeconds}s (spec.timeout)`;
}

/**
 * How long a WAIT stage may wait: its duration, but not past the deployment's deadline. A WAIT
 * that ran to its end would let the deployment outlive spec.timeout by the rest of the wait; cut
 * short, the deployment fails at its deadline, in the WAIT, instead.
 */
export function boundedWait(durationSeconds: number, deadlineMs: number, nowMs: number): { seconds: number; cutShort: boolean } {
  const remaining = Math.max(0, Math.ceil((deadlineMs - nowMs) / 1000));
  return remaining < durationSeconds ? { seconds: remaining, cutShort: true } : { seconds: durationSeconds, cutShort: false };
}
