import type { ApprovalVote, DeploymentError, DeploymentRecord, DeploymentState, DeploymentStatus, StageStatus } from '../domain/deployment.js';
import { FINAL_STATUSES } from '../domain/deployment.js';
import { InvalidStateError, NotFoundError } from '../errors.js';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AppStateItems } from './dynamo-app-state.js';
import { ApprovalItems } from './dynamo-approvals.js';
import { DeliveryItems, TriggerSettingsItems } from './dynamo-side-items.js';
import { DynamoTable } from './dynamo-table.js';
import { ACTIVE_PARTITION, appPartition, deploymentFromItem, deploymentItem, deploymentKey, type Item } from './items.js';
import { isFinal } from './records.js';
import type { HistoryStore } from './store.js';
import { TABLE_KEYS } from './table.js';

export interface DynamoHistoryStoreOptions {
  /** Stamps writes that are not given an explicit `at`; injectable so tests control time. */
  now?: () => Date;
  /** Default page size of `listByApp`. */
  defaultListLimit?: number;
}

/** Stage statuses after which a stage is over; they stamp `endedAt`. */
const ENDED_STAGE_STATUSES: readonly StageStatus[] = ['SUCCESS', 'FAILURE', 'SKIPPED', 'CANCELLED'];

/**
 * HistoryStore over one DynamoDB table (ARCHITECTURE §6). It only translates between records and
 * items: every rule that must hold under concurrency (final statuses stick, one lock holder, one
 * approval close, one delivery) is a single-item condition expression, because dynalite (the local
 * table) has no transactions. Deployment records live here; the other item families have a module
 * each (dynamo-app-state, dynamo-approvals, dynamo-side-items).
 */
export class DynamoHistoryStore implements HistoryStore {
  private readonly table: DynamoTable;
  private readonly defaultListLimit: number;
  private readonly apps: AppStateItems;
  private readonly approvals: ApprovalItems;
  private readonly deliveries: DeliveryItems;
  private readonly triggers: TriggerSettingsItems;

  constructor(doc: DynamoDBDocumentClient, tableName: string, options: DynamoHistoryStoreOptions = {}) {
    this.table = new DynamoTable(doc, tableName, options.now ?? (() => new Date()));
    this.defaultListLimit = options.defaultListLimit ?? 50;
    this.apps = new AppStateItems(this.table);
    this.approvals = new ApprovalItems(this.table);
    this.deliveries = new DeliveryItems(this.table);
    this.triggers = new TriggerSettingsItems(this.table);
  }

  // ---- Deployments -------------------------------------------------------------------------------

  async putDeployment(record: DeploymentRecord): Promise<void> {
    await this.table.put({ Item: deploymentItem(record) }, `putting deployment ${record.deploymentId}`);
  }

  async createDeployment(record: DeploymentRecord): Promise<boolean> {
    return this.table.put(
      {
        Item: deploymentItem(record),
        ConditionExpression: 'attribute_not_exists(PK)',
      },
      `creating deployment ${record.deploymentId}`,
    );
  }

  async getDeployment(deploymentId: string): Promise<DeploymentRecord | undefined> {
    const item = await this.table.get(deploymentKey(deploymentId), `reading deployment ${deploymentId}`);
    return item ? deploymentFromItem(item) : undefined;
  }

  async listByApp(app: string, opts: { limit?: number } = {}): Promise<DeploymentRecord[]> {
    const items = await this.table.query(
      {
        IndexName: TABLE_KEYS.byAppIndex,
        KeyConditionExpression: 'GSI1PK = :app',
        ExpressionAttributeValues: { ':app': appPartition(app) },
        ScanIndexForward: false,
      },
      opts.limit ?? this.defaultListLimit,
      `listing deployments of ${app}`,
    );
    return items.map(deploymentFromItem);
  }

  async listActive(): Promise<DeploymentRecord[]> {
    const items = await this.table.query(
      {
        IndexName: TABLE_KEYS.activeIndex,
        KeyConditionExpression: 'GSI2PK = :active',
        ExpressionAttributeValues: { ':active': ACTIVE_PARTITION },
      },
      Number.POSITIVE_INFINITY,
      'listing active deployments',
    );
    return items.map(deploymentFromItem);
  }

  /**
   * Final statuses stick: the condition refuses any change once the record is final, so a late
   * RUNNING from a retried Lambda cannot resurrect a finished deployment, and a finaliser racing the
   * state machine cannot turn SUCCESS into FAILURE. A refused change returns quietly.
   */
  async setStatus(deploymentId: string, status: DeploymentStatus, opts: { reason?: string; at?: string } = {}): Promise<void> {
    const at = opts.at ?? this.table.stamp();
    const values: Item = { ':status': status, ':at': at };
    FINAL_STATUSES.forEach((s, i) => (values[`:final${i}`] = s));
    const finals = FINAL_STATUSES.map((_, i) => `:final${i}`).join(', ');
    const sets = ['#status = :status', 'updatedAt = :at'];
    if (opts.reason !== undefined) {
      sets.push('reason = :reason');
      values[':reason'] = opts.reason;
    }
    let update = `SET ${sets.join(', ')}`;
    if (isFinal(status)) {
      update = `SET ${[...sets, 'endedAt = :at'].join(', ')} REMOVE GSI2PK, GSI2SK`;
    }
    // Non-final records already carry GSI2 keys from putDeployment, so only a final status touches them.
    const applied = await this.table.update(
      {
        Key: deploymentKey(deploymentId),
        UpdateExpression: update,
        ConditionExpression: `attribute_exists(PK) AND NOT (#status IN (${finals}))`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
      },
      `setting deployment ${deploymentId} to ${status}`,
    );
    if (!applied) await this.requireDeployment(deploymentId);
  }

  async setStageStatus(deploymentId: string, stageIndex: number, status: StageStatus, opts: { detail?: string; at?: string } = {}): Promise<void> {
    assertIndex(stageIndex);
    const at = opts.at ?? this.table.stamp();
    const stage = `stages[${stageIndex}]`;
    const sets = [`${stage}.#status = :status`, 'updatedAt = :at'];
    const values: Item = { ':status': status, ':at': at };
    // A retried stage start keeps its first start time, so durations reflect the whole stage.
    if (status === 'RUNNING') sets.push(`${stage}.startedAt = if_not_exists(${stage}.startedAt, :at)`);
    if (ENDED_STAGE_STATUSES.includes(status)) sets.push(`${stage}.endedAt = :at`);
    if (opts.detail !== undefined) {
      sets.push(`${stage}.detail = :detail`);
      values[':detail'] = opts.detail;
    }
    const applied = await this.table.update(
      {
        Key: deploymentKey(deploymentId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        // Without this, SET on an index past the end would silently append a malformed stage.
        ConditionExpression: `attribute_exists(${stage})`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
      },
      `setting stage ${stageIndex} of deployment ${deploymentId} to ${status}`,
    );
    if (!applied) {
      await this.requireDeployment(deploymentId);
      throw new NotFoundError(`deployment ${deploymentId} has no stage ${stageIndex}`);
    }
  }

  async setState(deploymentId: string, state: DeploymentState): Promise<void> {
    await this.setFields(deploymentId, { state }, `saving the state of deployment ${deploymentId}`);
  }

  async setExecution(deploymentId: string, executionArn: string): Promise<void> {
    await this.setFields(deploymentId, { executionArn }, `recording the execution of deployment ${deploymentId}`);
  }

  async requestCancel(deploymentId: string, by?: string): Promise<void> {
    await this.setFields(deploymentId, { cancelRequested: true, ...(by ? { cancelRequestedBy: by } : {}) }, `requesting cancel of deployment ${deploymentId}`);
  }

  async setNotificationRef(deploymentId: string, ref: { channel: string; ts: string }): Promise<void> {
    await this.setFields(deploymentId, { notification: ref }, `recording the Slack message of deployment ${deploymentId}`);
  }

  async addError(deploymentId: string, error: DeploymentError): Promise<void> {
    await this.append(deploymentId, 'errors', error, `recording an error of deployment ${deploymentId}`);
  }

  async addApprovalVote(deploymentId: string, vote: ApprovalVote): Promise<void> {
    await this.append(deploymentId, 'approvals', vote, `recording a vote on deployment ${deploymentId}`);
  }

  // ---- Delegated item families -------------------------------------------------------------------

  getAppState: HistoryStore['getAppState'] = (app) => this.apps.getAppState(app);
  listApps: HistoryStore['listApps'] = () => this.apps.listApps();
  tryLock: HistoryStore['tryLock'] = (app, id) => this.apps.tryLock(app, id);
  releaseLock: HistoryStore['releaseLock'] = (app, id) => this.apps.releaseLock(app, id);
  enqueue: HistoryStore['enqueue'] = (app, id) => this.apps.enqueue(app, id);
  dequeue: HistoryStore['dequeue'] = (app, id) => this.apps.dequeue(app, id);
  setLastGood: HistoryStore['setLastGood'] = (app, lastGood) => this.apps.setLastGood(app, lastGood);
  putApproval: HistoryStore['putApproval'] = (record) => this.approvals.putApproval(record);
  getApproval: HistoryStore['getApproval'] = (id, stage) => this.approvals.getApproval(id, stage);
  addApprover: HistoryStore['addApprover'] = (id, stage, user) => this.approvals.addApprover(id, stage, user);
  closeApproval: HistoryStore['closeApproval'] = (id, stage, status, by) => this.approvals.closeApproval(id, stage, status, by);
  claimDelivery: HistoryStore['claimDelivery'] = (delivery, ids) => this.deliveries.claimDelivery(delivery, ids);
  getTriggerSettings: HistoryStore['getTriggerSettings'] = (blobIds) => this.triggers.getTriggerSettings(blobIds);
  putTriggerSettings: HistoryStore['putTriggerSettings'] = (entries) => this.triggers.putTriggerSettings(entries);

  // ---- Plumbing ----------------------------------------------------------------------------------

  private async requireDeployment(deploymentId: string): Promise<void> {
    if (!(await this.getDeployment(deploymentId))) throw new NotFoundError(`no deployment ${deploymentId}`);
  }

  private async setFields(deploymentId: string, fields: Record<string, unknown>, doing: string): Promise<void> {
    const names: Record<string, string> = {};
    const values: Item = { ':at': this.table.stamp() };
    const sets = ['updatedAt = :at'];
    Object.entries(fields).forEach(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:v${i}`] = value;
      sets.push(`#f${i} = :v${i}`);
    });
    const applied = await this.table.update(
      {
        Key: deploymentKey(deploymentId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
      doing,
    );
    if (!applied) throw new NotFoundError(`no deployment ${deploymentId}`);
  }

  private async append(deploymentId: string, list: 'errors' | 'approvals', entry: unknown, doing: string): Promise<void> {
    const applied = await this.table.update(
      {
        Key: deploymentKey(deploymentId),
        UpdateExpression: 'SET #list = list_append(if_not_exists(#list, :empty), :entries), updatedAt = :at',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#list': list },
        ExpressionAttributeValues: { ':empty': [], ':entries': [entry], ':at': this.table.stamp() },
      },
      doing,
    );
    if (!applied) throw new NotFoundError(`no deployment ${deploymentId}`);
  }
}

function assertIndex(stageIndex: number): void {
  // The index is spliced into the expression, so it must be a plain non-negative integer.
  if (!Number.isInteger(stageIndex) || stageIndex < 0) {
    throw new InvalidStateError(`stage index must be a non-negative integer, got ${stageIndex}`);
  }
}
