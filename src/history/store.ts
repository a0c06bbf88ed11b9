import type { AppStateStore } from './app-state-store.js';
import type { ApprovalStore } from './approval-store.js';
import type { DeliveryStore } from './delivery-store.js';
import type { DeploymentStore } from './deployment-store.js';
import type { StageWaitStore } from './stage-wait-store.js';
import type { TriggerSettingsStore } from './trigger-settings-store.js';

export type { AppStateStore, ApprovalStore, DeliveryStore, DeploymentStore, StageWaitStore, TriggerSettingsStore };

/**
 * Every item family of the history table (ARCHITECTURE §6), as the one DynamoDB adapter implements
 * them. Only composition code holds this whole: a consumer takes the narrow port, or the few
 * methods of it, that it uses.
 */
export type HistoryStore = DeploymentStore & AppStateStore & ApprovalStore & DeliveryStore & TriggerSettingsStore & StageWaitStore;
