import type { DeploymentRecord, DeploymentStatus } from '../domain/deployment.js';
import { DetailType, type DeploymentEvent, type EventDetail } from '../domain/events.js';
import type { DeploymentPlan } from '../domain/plan.js';
import { isFinal } from '../history/records.js';

export interface EventDetailOptions {
  status: DeploymentStatus;
  stage?: { index: number; name: string };
  reason?: string;
  approver?: string;
  /** The moment of the event: `endedAt` of a final status when the record has none yet. */
  now: Date | string;
}

function iso(now: Date | string): string {
  return typeof now === 'string' ? now : now.toISOString();
}

function isRecord(source: DeploymentRecord | DeploymentPlan): source is DeploymentRecord {
  return 'status' in source;
}

/**
 * Builds the detail from a history record (the usual case) or from the plan (at trigger time, before
 * any record is read back). Only the public fields are copied: the plan's task definition, repo and
 * directory never reach the bus.
 */
export function eventDetail(source: DeploymentRecord | DeploymentPlan, opts: EventDetailOptions): EventDetail {
  const now = iso(opts.now);
  const startedAt = source.createdAt;
  const recordedEnd = isRecord(source) ? source.endedAt : undefined;
  const endedAt = isFinal(opts.status) ? (recordedEnd ?? now) : undefined;
  return {
    deploymentId: source.deploymentId,
    app: { name: source.app.name, labels: { ...source.app.labels } },
    commit: { sha: source.commit.sha, message: source.commit.message, author: source.commit.author },
    status: opts.status,
    ...(opts.stage && { stage: { index: opts.stage.index, name: opts.stage.name } }),
    ...(opts.reason !== undefined && { reason: opts.reason }),
    ...(opts.approver !== undefined && { approver: opts.approver }),
    startedAt,
    ...(endedAt !== undefined && { endedAt }),
    ...resourcesOf(source),
  };
}

/** What the event is about, as ARNs: known once the execution started (and the task definition registered). */
function resourcesOf(source: DeploymentRecord | DeploymentPlan): Pick<EventDetail, 'executionArn' | 'serviceArn' | 'taskDefinitionArn'> {
  if (!isRecord(source)) return {};
  const executionArn = source.executionArn;
  const scope = executionArn ? /^arn:([^:]+):states:([^:]*):([^:]*):/.exec(executionArn) : null;
  const service = source.service;
  return {
    ...(executionArn && { executionArn }),
    ...(scope && service && { serviceArn: `arn:${scope[1]}:ecs:${scope[2]}:${scope[3]}:service/${service.cluster}/${service.serviceName}` }),
    ...(source.state?.taskDefinitionArn && { taskDefinitionArn: source.state.taskDefinitionArn }),
  };
}

/**
 * The DetailType announcing that a deployment reached `status`, or undefined for statuses that have
 * no event of their own. SUPERSEDED is announced as DEPLOYMENT_CANCELLED (with a reason), since for a
 * subscriber both mean "this commit was not deployed and nothing went wrong".
 */
export function detailTypeForStatus(status: DeploymentStatus): DetailType {
  switch (status) {
    case 'PENDING':
      return DetailType.DEPLOYMENT_TRIGGERED;
    case 'RUNNING':
      return DetailType.DEPLOYMENT_STARTED;
    case 'WAITING_APPROVAL':
      return DetailType.DEPLOYMENT_WAIT_APPROVAL;
    case 'ROLLING_BACK':
      return DetailType.DEPLOYMENT_ROLLING_BACK;
    case 'SUCCESS':
      return DetailType.DEPLOYMENT_SUCCEEDED;
    case 'FAILURE':
      return DetailType.DEPLOYMENT_FAILED;
    case 'CANCELLED':
    case 'SUPERSEDED':
      return DetailType.DEPLOYMENT_CANCELLED;
    case 'TRIGGER_FAILED':
      return DetailType.DEPLOYMENT_TRIGGER_FAILED;
  }
}

/** The event for a status change: `detailTypeForStatus` plus `eventDetail`. */
export function statusEvent(source: DeploymentRecord | DeploymentPlan, opts: EventDetailOptions): DeploymentEvent {
  return { detailType: detailTypeForStatus(opts.status), detail: eventDetail(source, opts) };
}
