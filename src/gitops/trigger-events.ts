import type { DeploymentRecord } from '../domain/deployment.js';
import type { DeploymentEvent, DetailType } from '../domain/events.js';

/** The EventBridge event for a trigger outcome, built from the record just written (ARCHITECTURE §7). */
export function triggerEvent(detailType: Extract<DetailType, 'DEPLOYMENT_TRIGGERED' | 'DEPLOYMENT_TRIGGER_FAILED'>, record: DeploymentRecord): DeploymentEvent {
  return {
    detailType,
    detail: {
      deploymentId: record.deploymentId,
      app: { name: record.app.name, labels: record.app.labels },
      commit: { sha: record.commit.sha, message: record.commit.message, author: record.commit.author },
      status: record.status,
      ...(record.reason ? { reason: record.reason } : {}),
      startedAt: record.createdAt,
      ...(record.endedAt ? { endedAt: record.endedAt } : {}),
    },
  };
}
