import type { DriftEventDetail } from './event-schema.js';
import type { DriftState } from './types.js';

/** EventBridge DetailTypes of the drift check (Source `stepcd`, like deployment events). */
export const DriftDetailType = {
  DRIFT_DETECTED: 'DRIFT_DETECTED',
  DRIFT_RESOLVED: 'DRIFT_RESOLVED',
} as const;
export type DriftDetailType = (typeof DriftDetailType)[keyof typeof DriftDetailType];

export type { DriftEventDetail } from './event-schema.js';

export interface DriftEvent {
  detailType: DriftDetailType;
  detail: DriftEventDetail;
}

/** Port: publishes drift events to the stack's bus. */
export interface DriftEventPublisher {
  publishDrift(event: DriftEvent): Promise<void>;
}

export function driftEvent(state: DriftState): DriftEvent {
  const { baseline } = state;
  return {
    detailType: state.status === 'DRIFTED' ? DriftDetailType.DRIFT_DETECTED : DriftDetailType.DRIFT_RESOLVED,
    detail: {
      app: { name: state.app, labels: baseline.labels },
      status: state.status,
      deploymentId: baseline.deploymentId,
      commit: { sha: baseline.commitSha },
      service: { cluster: baseline.cluster, serviceName: baseline.serviceName },
      items: state.items,
      since: state.since,
    },
  };
}
