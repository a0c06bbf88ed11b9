import type { AppState, ApprovalRecord, DeploymentRecord } from '../../domain/deployment.js';
import { isFinal } from '../../history/records.js';

/**
 * Key layout of the history table (see table.ts) and the pure translation between domain records and
 * stored items. Keys and index attributes live only on items; records never see them.
 */
export const ACTIVE_PARTITION = 'ACTIVE';
export const DEPLOYMENT_SK = 'DEPLOYMENT';
export const STATE_SK = 'STATE';
export const DELIVERY_SK = 'DELIVERY';
/** Deliveries are kept long enough to cover GitHub's manual redelivery window. */
export const DELIVERY_TTL_SECONDS = 3 * 24 * 60 * 60;

export type Key = { PK: string; SK: string };
export type Item = Record<string, unknown>;

const KEY_ATTRIBUTES = ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'ttl', 'kind'] as const;

export const deploymentKey = (deploymentId: string): Key => ({ PK: `DEP#${deploymentId}`, SK: DEPLOYMENT_SK });
export const approvalKey = (deploymentId: string, stageIndex: number): Key => ({
  PK: `DEP#${deploymentId}`,
  SK: `APPROVAL#${stageIndex}`,
});
export const appStateKey = (app: string): Key => ({ PK: `APP#${app}`, SK: STATE_SK });
export const deliveryKey = (deliveryId: string): Key => ({ PK: `DELIVERY#${deliveryId}`, SK: DELIVERY_SK });
export const appPartition = (app: string): string => `APP#${app}`;

/** Sorts newest last within an app (GSI1) and in the active index (GSI2); the id breaks ties. */
function timeSortKey(record: DeploymentRecord): string {
  return `${record.createdAt}#${record.deploymentId}`;
}

/** GSI2 is sparse: a final record carries no GSI2 attributes, so it drops out of `listActive`. */
export function deploymentItem(record: DeploymentRecord): Item {
  const active = isFinal(record.status) ? {} : { GSI2PK: ACTIVE_PARTITION, GSI2SK: timeSortKey(record) };
  return {
    ...record,
    ...deploymentKey(record.deploymentId),
    kind: 'DEPLOYMENT',
    GSI1PK: appPartition(record.app.name),
    GSI1SK: timeSortKey(record),
    ...active,
  };
}

function stripKeys(item: Item): Item {
  const copy: Item = { ...item };
  for (const attr of KEY_ATTRIBUTES) delete copy[attr];
  return copy;
}

export function deploymentFromItem(item: Item): DeploymentRecord {
  const record = stripKeys(item) as unknown as DeploymentRecord;
  // Lists written empty may have been dropped by an older writer; the record type promises arrays.
  return { ...record, stages: record.stages ?? [], approvals: record.approvals ?? [], errors: record.errors ?? [] };
}

export function approvalItem(record: ApprovalRecord): Item {
  return { ...record, ...approvalKey(record.deploymentId, record.stageIndex), kind: 'APPROVAL' };
}

export function approvalFromItem(item: Item): ApprovalRecord {
  const record = stripKeys(item) as unknown as ApprovalRecord;
  return { ...record, approvedBy: record.approvedBy ?? [], approvers: record.approvers ?? [] };
}

export function appStateFromItem(app: string, item: Item | undefined): AppState {
  if (!item) return { app, queue: [] };
  const state = stripKeys(item) as unknown as AppState;
  return { ...state, app, queue: state.queue ?? [] };
}
