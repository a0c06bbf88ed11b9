import type { DocumentClient } from '../dynamodb.js';
import type { HistoryStore } from '../../history/store.js';
import { DynamoAppStateStore } from './dynamo-app-state.js';
import { DynamoApprovalStore } from './dynamo-approvals.js';
import { DynamoDeliveryStore } from './dynamo-deliveries.js';
import { DynamoDeploymentStore } from './dynamo-deployments.js';
import { DynamoStageWaitStore } from './dynamo-stage-waits.js';
import { DynamoTable } from './dynamo-table.js';
import { DynamoTriggerSettingsStore } from './dynamo-trigger-settings.js';

export interface DynamoHistoryStoreOptions {
  /** Stamps writes that are not given an explicit `at`; injectable so tests control time. */
  now?: () => Date;
  /** Default page size of `listByApp`. */
  defaultListLimit?: number;
}

/**
 * Every port over the one history table (ARCHITECTURE §6) from one object, so composition builds a
 * single value; each method is its item family's adapter, and consumers see only the port they take.
 */
export class DynamoHistoryStore implements HistoryStore {
  private readonly deployments: DynamoDeploymentStore;
  private readonly apps: DynamoAppStateStore;
  private readonly approvals: DynamoApprovalStore;
  private readonly deliveries: DynamoDeliveryStore;
  private readonly triggers: DynamoTriggerSettingsStore;
  private readonly waits: DynamoStageWaitStore;

  constructor(doc: DocumentClient, tableName: string, options: DynamoHistoryStoreOptions = {}) {
    const table = new DynamoTable(doc, tableName, options.now ?? (() => new Date()));
    this.deployments = new DynamoDeploymentStore(table, options.defaultListLimit);
    this.apps = new DynamoAppStateStore(table);
    this.approvals = new DynamoApprovalStore(table);
    this.deliveries = new DynamoDeliveryStore(table);
    this.triggers = new DynamoTriggerSettingsStore(table);
    this.waits = new DynamoStageWaitStore(table);
  }

  putDeployment: HistoryStore['putDeployment'] = (record) => this.deployments.putDeployment(record);
  createDeployment: HistoryStore['createDeployment'] = (record) => this.deployments.createDeployment(record);
  getDeployment: HistoryStore['getDeployment'] = (id) => this.deployments.getDeployment(id);
  getDeployments: HistoryStore['getDeployments'] = (ids) => this.deployments.getDeployments(ids);
  listByApp: HistoryStore['listByApp'] = (app, opts) => this.deployments.listByApp(app, opts);
  listActive: HistoryStore['listActive'] = () => this.deployments.listActive();
  setStatus: HistoryStore['setStatus'] = (id, status, opts) => this.deployments.setStatus(id, status, opts);
  setStageStatus: HistoryStore['setStageStatus'] = (id, index, status, opts) => this.deployments.setStageStatus(id, index, status, opts);
  setState: HistoryStore['setState'] = (id, state) => this.deployments.setState(id, state);
  setExecution: HistoryStore['setExecution'] = (id, arn) => this.deployments.setExecution(id, arn);
  addError: HistoryStore['addError'] = (id, error) => this.deployments.addError(id, error);
  addApprovalVote: HistoryStore['addApprovalVote'] = (id, vote) => this.deployments.addApprovalVote(id, vote);
  requestCancel: HistoryStore['requestCancel'] = (id, by) => this.deployments.requestCancel(id, by);
  setNotificationRef: HistoryStore['setNotificationRef'] = (id, ref) => this.deployments.setNotificationRef(id, ref);

  getAppState: HistoryStore['getAppState'] = (app) => this.apps.getAppState(app);
  listApps: HistoryStore['listApps'] = () => this.apps.listApps();
  tryLock: HistoryStore['tryLock'] = (app, id) => this.apps.tryLock(app, id);
  releaseLock: HistoryStore['releaseLock'] = (app, id) => this.apps.releaseLock(app, id);
  enqueue: HistoryStore['enqueue'] = (app, id) => this.apps.enqueue(app, id);
  dequeue: HistoryStore['dequeue'] = (app, id) => this.apps.dequeue(app, id);
  setQueueToken: HistoryStore['setQueueToken'] = (app, id, token) => this.apps.setQueueToken(app, id, token);
  setLastGood: HistoryStore['setLastGood'] = (app, lastGood) => this.apps.setLastGood(app, lastGood);

  putApproval: HistoryStore['putApproval'] = (record) => this.approvals.putApproval(record);
  getApproval: HistoryStore['getApproval'] = (id, stage) => this.approvals.getApproval(id, stage);
  addApprover: HistoryStore['addApprover'] = (id, stage, user) => this.approvals.addApprover(id, stage, user);
  closeApproval: HistoryStore['closeApproval'] = (id, stage, status, by) => this.approvals.closeApproval(id, stage, status, by);

  claimDelivery: HistoryStore['claimDelivery'] = (delivery, ids) => this.deliveries.claimDelivery(delivery, ids);

  getTriggerSettings: HistoryStore['getTriggerSettings'] = (blobIds) => this.triggers.getTriggerSettings(blobIds);
  putTriggerSettings: HistoryStore['putTriggerSettings'] = (entries) => this.triggers.putTriggerSettings(entries);

  openWait: HistoryStore['openWait'] = (wait) => this.waits.openWait(wait);
  waitsOn: HistoryStore['waitsOn'] = (key) => this.waits.waitsOn(key);
  currentWait: HistoryStore['currentWait'] = (id) => this.waits.currentWait(id);
  closeWait: HistoryStore['closeWait'] = (wait) => this.waits.closeWait(wait);
}
