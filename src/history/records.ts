import type { DeploymentRecord, DeploymentStatus } from '../domain/deployment.js';
import { FINAL_STATUSES } from '../domain/deployment.js';
import type { AppRef, CommitRef, DeploymentPlan, TriggerRef } from '../domain/plan.js';
import { formatIssue, type ManifestIssue } from '../manifest/issues.js';

/** SUCCESS, FAILURE, CANCELLED, SUPERSEDED and TRIGGER_FAILED: nothing moves a record out of these. */
export function isFinal(status: DeploymentStatus): boolean {
  return FINAL_STATUSES.includes(status);
}

function iso(now: Date | string): string {
  return typeof now === 'string' ? now : now.toISOString();
}

/** The PENDING record written before the execution starts: one NOT_STARTED stage per planned stage. */
export function newDeploymentRecord(plan: DeploymentPlan, now: Date | string): DeploymentRecord {
  const at = iso(now);
  return {
    deploymentId: plan.deploymentId,
    app: plan.app,
    commit: plan.commit,
    trigger: plan.trigger,
    strategy: plan.strategy,
    status: 'PENDING',
    stages: plan.stages.map((s) => ({ index: s.index, name: s.name, status: 'NOT_STARTED' })),
    approvals: [],
    errors: [],
    executionName: plan.executionName,
    // A standalone task app has no service: the record names none (events then carry no service ARN).
    ...(plan.standalone ? {} : { service: { cluster: plan.serviceDefinition.cluster, serviceName: plan.serviceDefinition.serviceName } }),
    ...(plan.options.approvers ? { approvers: plan.options.approvers } : {}),
    createdAt: at,
    updatedAt: at,
  };
}

export interface TriggerFailure {
  deploymentId: string;
  app: AppRef;
  commit: CommitRef;
  trigger: TriggerRef;
  issues: ManifestIssue[];
  now: Date | string;
}

/**
 * The record of a push whose manifests did not validate: final at once, no stages, and a reason that
 * names every file and field at fault so the author can fix them in one go.
 */
export function triggerFailedRecord(failure: TriggerFailure): DeploymentRecord {
  const at = iso(failure.now);
  const errors = failure.issues.filter((i) => i.severity === 'error');
  // Warnings alone never fail a trigger, but if that is all a caller passed, still say something.
  const shown = errors.length > 0 ? errors : failure.issues;
  return {
    deploymentId: failure.deploymentId,
    app: failure.app,
    commit: failure.commit,
    trigger: failure.trigger,
    strategy: 'NONE',
    status: 'TRIGGER_FAILED',
    reason: shown.map(formatIssue).join('; '),
    stages: [],
    approvals: [],
    errors: [],
    createdAt: at,
    updatedAt: at,
    endedAt: at,
  };
}
