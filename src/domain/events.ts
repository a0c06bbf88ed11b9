import type { DeploymentStatus } from './deployment.js';

/** EventBridge DetailTypes (ARCHITECTURE §7). Source is always `stepcd`. */
export const DetailType = {
  DEPLOYMENT_TRIGGERED: 'DEPLOYMENT_TRIGGERED',
  DEPLOYMENT_TRIGGER_FAILED: 'DEPLOYMENT_TRIGGER_FAILED',
  DEPLOYMENT_STARTED: 'DEPLOYMENT_STARTED',
  DEPLOYMENT_WAIT_APPROVAL: 'DEPLOYMENT_WAIT_APPROVAL',
  DEPLOYMENT_APPROVED: 'DEPLOYMENT_APPROVED',
  DEPLOYMENT_ROLLING_BACK: 'DEPLOYMENT_ROLLING_BACK',
  DEPLOYMENT_SUCCEEDED: 'DEPLOYMENT_SUCCEEDED',
  DEPLOYMENT_FAILED: 'DEPLOYMENT_FAILED',
  DEPLOYMENT_CANCELLED: 'DEPLOYMENT_CANCELLED',
  STAGE_SUCCEEDED: 'STAGE_SUCCEEDED',
  STAGE_FAILED: 'STAGE_FAILED',
} as const;
export type DetailType = (typeof DetailType)[keyof typeof DetailType];

export const EVENT_SOURCE = 'stepcd';

export interface EventDetail {
  deploymentId: string;
  app: { name: string; labels: Record<string, string> };
  commit: { sha: string; message: string; author: string };
  status: DeploymentStatus;
  stage?: { index: number; name: string };
  reason?: string;
  approver?: string;
  startedAt: string;
  endedAt?: string;
  /** The execution, service and task definition the event is about; also the event's `resources`. */
  executionArn?: string;
  serviceArn?: string;
  taskDefinitionArn?: string;
}

export interface DeploymentEvent {
  detailType: DetailType;
  detail: EventDetail;
}

/** Port: publishes to EventBridge (AWS) or the local capture bus. */
export interface EventPublisher {
  publish(event: DeploymentEvent): Promise<void>;
}

/** A publisher that sends many events in few calls (PutEvents takes 10) and says which failed. */
export interface BatchEventPublisher extends EventPublisher {
  /** One outcome per event, in order: undefined when it was published, else the error. Never throws. */
  publishEach(events: readonly DeploymentEvent[]): Promise<(Error | undefined)[]>;
}
