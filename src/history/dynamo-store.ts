import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type PutCommandInput,
  type QueryCommandInput,
  type UpdateCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type {
  AppState,
  ApprovalRecord,
  ApprovalVote,
  DeploymentError,
  DeploymentRecord,
  DeploymentState,
  DeploymentStatus,
  LastGood,
  StageStatus,
} from '../domain/deployment.js';
import { FINAL_STATUSES } from '../domain/deployment.js';
import { InvalidStateError, NotFoundError, wrapAwsError } from '../errors.js';
import type { HistoryStore } from './store.js';
import { isFinal } from './records.js';
import {
  ACTIVE_PARTITION,
  DELIVERY_TTL_SECONDS,
  appPartition,
  appStateFromItem,
  appStateKey,
  approvalFromItem,
  approvalItem,
  approvalKey,
  deliveryKey,
  deploymentFromItem,
  deploymentItem,
  deploymentKey,
  type Item,
} from './items.js';
import { TABLE_KEYS } from './table.js';
import type { TriggerSettings } from '../gitops/trigger-settings.js';

export interface DynamoHistoryStoreOptions {
  /** Stamps writes that are not given an explicit `at`; injectable so tests control time. */
  now?: () => Date;
  /** Default page size of `listByApp`. */
  defaultListLimit?: number;
}

/** Stage statuses after which a stage is over; they stamp `endedAt`. */
const ENDED_STAGE_STATUSES: readonly StageStatus[] = ['SUCCESS', 'FAILURE', 'SKIPPED', 'CANCELLED'];

/** How often `dequeue` re-reads the queue when a concurrent writer moved it under us. */
const DEQUEUE_ATTEMPTS = 5;

function isConditionFailed(err: unknown): boolean {
  return (err as { name?: string })?.name === 'ConditionalCheckFailedException';
}

/**
 * HistoryStore over one DynamoDB table (ARCHITECTURE §6). It only translates between records and
 * items: every rule that must hold under concurrency (final statuses stick, one lock holder, one
 * approval close, one delivery) is a single-item condition expression, because dynalite (the local
 * table) has no transactions.
 */
export class DynamoHistoryStore implements HistoryStore {
  private readonly now: () => Date;
  private readonly defaultListLimit: number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoHistoryStoreOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.defaultListLimit = options.defaultListLimit ?? 50;
  }

  // ---- Deployments -------------------------------------------------------------------------------

  async putDeployment(record: DeploymentRecord): Promise<void> {
    await this.put({ TableName: this.tableName, Item: deploymentItem(record) }, `putting deployment ${record.deploymentId}`);
  }

  async createDeployment(record: DeploymentRecord): Promise<boolean> {
    return this.put(
      {
        TableName: this.tableName,
        Item: deploymentItem(record),
        ConditionExpression: 'attribute_not_exists(PK)',
      },
      `creating deployment ${record.deploymentId}`,
    );
  }

  async getDeployment(deploymentId: string): Promise<DeploymentRecord | undefined> {
    const item = await this.get(deploymentKey(deploymentId), `reading deployment ${deploymentId}`);
    return item ? deploymentFromItem(item) : undefined;
  }

  async listByApp(app: string, opts: { limit?: number } = {}): Promise<DeploymentRecord[]> {
    const items = await this.query(
      {
        TableName: this.tableName,
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
    const items = await this.query(
      {
        TableName: this.tableName,
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
  async setStatus(
    deploymentId: string,
    status: DeploymentStatus,
    opts: { reason?: string; at?: string } = {},
  ): Promise<void> {
    const at = opts.at ?? this.stamp();
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
    const applied = await this.update(
      {
        TableName: this.tableName,
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

  async setStageStatus(
    deploymentId: string,
    stageIndex: number,
    status: StageStatus,
    opts: { detail?: string; at?: string } = {},
  ): Promise<void> {
    assertIndex(stageIndex);
    const at = opts.at ?? this.stamp();
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
    const applied = await this.update(
      {
        TableName: this.tableName,
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

  async requestCancel(deploymentId: string): Promise<void> {
    await this.setFields(deploymentId, { cancelRequested: true }, `requesting cancel of deployment ${deploymentId}`);
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

  // ---- App state: lock, queue, last good ---------------------------------------------------------

  async getAppState(app: string): Promise<AppState> {
    return appStateFromItem(app, await this.get(appStateKey(app), `reading app state of ${app}`));
  }

  async tryLock(app: string, deploymentId: string): Promise<boolean> {
    return this.update(
      {
        TableName: this.tableName,
        Key: appStateKey(app),
        // Re-taking our own lock keeps the original lockedAt.
        UpdateExpression: 'SET app = :app, lockHolder = :id, lockedAt = if_not_exists(lockedAt, :at)',
        ConditionExpression: 'attribute_not_exists(lockHolder) OR lockHolder = :id',
        ExpressionAttributeValues: { ':app': app, ':id': deploymentId, ':at': this.stamp() },
      },
      `locking app ${app} for deployment ${deploymentId}`,
    );
  }

  async releaseLock(app: string, deploymentId: string): Promise<void> {
    // A refused release means someone else holds the lock (or nobody does): nothing to do.
    await this.update(
      {
        TableName: this.tableName,
        Key: appStateKey(app),
        UpdateExpression: 'REMOVE lockHolder, lockedAt',
        ConditionExpression: 'lockHolder = :id',
        ExpressionAttributeValues: { ':id': deploymentId },
      },
      `releasing the lock of app ${app} held by ${deploymentId}`,
    );
  }

  async enqueue(app: string, deploymentId: string): Promise<void> {
    // A refused append means the id is already queued: enqueue is idempotent.
    await this.update(
      {
        TableName: this.tableName,
        Key: appStateKey(app),
        UpdateExpression: 'SET app = :app, queue = list_append(if_not_exists(queue, :empty), :ids)',
        ConditionExpression: 'attribute_not_exists(queue) OR NOT contains(queue, :id)',
        ExpressionAttributeValues: { ':app': app, ':empty': [], ':ids': [deploymentId], ':id': deploymentId },
      },
      `queueing deployment ${deploymentId} of app ${app}`,
    );
  }

  /**
   * DynamoDB can only remove a list element by index, so read the index and remove it on condition
   * that it still holds our id; a concurrent dequeue that shifted the list makes us read again.
   */
  async dequeue(app: string, deploymentId: string): Promise<void> {
    for (let attempt = 0; attempt < DEQUEUE_ATTEMPTS; attempt++) {
      const { queue } = await this.getAppState(app);
      const index = queue.indexOf(deploymentId);
      if (index < 0) return;
      const removed = await this.update(
        {
          TableName: this.tableName,
          Key: appStateKey(app),
          UpdateExpression: `REMOVE queue[${index}]`,
          ConditionExpression: `queue[${index}] = :id`,
          ExpressionAttributeValues: { ':id': deploymentId },
        },
        `dequeueing deployment ${deploymentId} of app ${app}`,
      );
      if (removed) return;
    }
    throw new InvalidStateError(
      `could not dequeue deployment ${deploymentId} of app ${app}: the queue kept changing (${DEQUEUE_ATTEMPTS} attempts)`,
    );
  }

  async setLastGood(app: string, lastGood: LastGood): Promise<void> {
    await this.update(
      {
        TableName: this.tableName,
        Key: appStateKey(app),
        UpdateExpression: 'SET app = :app, lastGood = :lastGood',
        ExpressionAttributeValues: { ':app': app, ':lastGood': lastGood },
      },
      `recording the last good deployment of app ${app}`,
    );
  }

  // ---- Approvals ---------------------------------------------------------------------------------

  /**
   * Creates the approval once. Writing the same token again is a harmless redo. A different token
   * while still OPEN is the state machine retrying the approval task (each attempt gets a new token):
   * the new token replaces the dead one and the votes so far are kept. A closed approval is never
   * reopened.
   */
  async putApproval(record: ApprovalRecord): Promise<void> {
    const doing = `creating the approval of deployment ${record.deploymentId} stage ${record.stageIndex}`;
    const created = await this.put(
      { TableName: this.tableName, Item: approvalItem(record), ConditionExpression: 'attribute_not_exists(PK)' },
      doing,
    );
    if (created) return;
    const refreshed = await this.update(
      {
        TableName: this.tableName,
        Key: approvalKey(record.deploymentId, record.stageIndex),
        UpdateExpression:
          'SET taskToken = :token, expiresAt = :expiresAt, approvers = :approvers, minApproverNum = :min',
        ConditionExpression: '#status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':token': record.taskToken,
          ':expiresAt': record.expiresAt,
          ':approvers': record.approvers,
          ':min': record.minApproverNum,
          ':open': 'OPEN',
        },
      },
      doing,
    );
    if (!refreshed) {
      throw new InvalidStateError(
        `approval of deployment ${record.deploymentId} stage ${record.stageIndex} is already closed`,
      );
    }
  }

  async getApproval(deploymentId: string, stageIndex: number): Promise<ApprovalRecord | undefined> {
    const item = await this.get(
      approvalKey(deploymentId, stageIndex),
      `reading the approval of deployment ${deploymentId} stage ${stageIndex}`,
    );
    return item ? approvalFromItem(item) : undefined;
  }

  /**
   * Adds `user` once, only while OPEN. A second click by the same user is refused by the condition
   * and answered with the record as it stands, so a double click never counts twice.
   */
  async addApprover(deploymentId: string, stageIndex: number, user: string): Promise<ApprovalRecord | undefined> {
    const doing = `adding approver ${user} to deployment ${deploymentId} stage ${stageIndex}`;
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: approvalKey(deploymentId, stageIndex),
          UpdateExpression: 'SET approvedBy = list_append(if_not_exists(approvedBy, :empty), :users)',
          ConditionExpression: '#status = :open AND NOT contains(approvedBy, :user)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':open': 'OPEN', ':user': user, ':users': [user], ':empty': [] },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return approvalFromItem(out.Attributes ?? {});
    } catch (err) {
      if (!isConditionFailed(err)) throw wrapAwsError(doing, err);
    }
    const current = await this.getApproval(deploymentId, stageIndex);
    if (!current) throw new NotFoundError(`no approval for deployment ${deploymentId} stage ${stageIndex}`);
    return current.status === 'OPEN' ? current : undefined;
  }

  async closeApproval(
    deploymentId: string,
    stageIndex: number,
    status: ApprovalRecord['status'],
    by?: string,
  ): Promise<boolean> {
    const sets = ['#status = :status', 'closedAt = :at'];
    const values: Item = { ':status': status, ':at': this.stamp(), ':open': 'OPEN' };
    if (by !== undefined) {
      sets.push('closedBy = :by');
      values[':by'] = by;
    }
    return this.update(
      {
        TableName: this.tableName,
        Key: approvalKey(deploymentId, stageIndex),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: '#status = :open',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
      },
      `closing the approval of deployment ${deploymentId} stage ${stageIndex} as ${status}`,
    );
  }

  // ---- Webhook deliveries ------------------------------------------------------------------------

  /**
   * First writer wins. DynamoDB deletes expired items lazily (up to days late), so an item past its
   * `ttl` is treated as absent rather than as a duplicate.
   */
  async claimDelivery(deliveryId: string, deploymentIds: string[]): Promise<string[] | undefined> {
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    const doing = `recording webhook delivery ${deliveryId}`;
    const claimed = await this.put(
      {
        TableName: this.tableName,
        Item: {
          ...deliveryKey(deliveryId),
          kind: 'DELIVERY',
          deliveryId,
          deploymentIds,
          createdAt: this.stamp(),
          [TABLE_KEYS.ttl]: nowSeconds + DELIVERY_TTL_SECONDS,
        },
        ConditionExpression: 'attribute_not_exists(PK) OR #ttl < :now',
        ExpressionAttributeNames: { '#ttl': TABLE_KEYS.ttl },
        ExpressionAttributeValues: { ':now': nowSeconds },
      },
      doing,
    );
    if (claimed) return undefined;
    const existing = await this.get(deliveryKey(deliveryId), doing);
    return (existing?.deploymentIds as string[] | undefined) ?? [];
  }

  // ---- Trigger settings cache ----------------------------------------------------------------------

  /**
   * BatchGetItem in chunks of 100 (its limit). Keys DynamoDB leaves unprocessed (throttling) are
   * simply misses: the caller reads those configs instead, which is always correct.
   */
  async getTriggerSettings(blobIds: readonly string[]): Promise<Map<string, unknown>> {
    const found = new Map<string, unknown>();
    const unique = [...new Set(blobIds)];
    for (let i = 0; i < unique.length; i += TRIGGER_BATCH_GET) {
      const chunk = unique.slice(i, i + TRIGGER_BATCH_GET);
      let out;
      try {
        out = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: chunk.map(triggerSettingsKey) } } }));
      } catch (err) {
        throw wrapAwsError(`reading ${chunk.length} cached trigger settings`, err);
      }
      for (const item of out.Responses?.[this.tableName] ?? []) {
        if (typeof item.blobId === 'string') found.set(item.blobId, item.settings);
      }
    }
    return found;
  }

  /** One PutItem per entry, a few at a time: entries are written once per new config content. */
  async putTriggerSettings(entries: ReadonlyMap<string, TriggerSettings>): Promise<void> {
    const expires = Math.floor(this.now().getTime() / 1000) + TRIGGER_SETTINGS_TTL_SECONDS;
    const items = [...entries];
    for (let i = 0; i < items.length; i += TRIGGER_PUTS_IN_FLIGHT) {
      await Promise.all(
        items.slice(i, i + TRIGGER_PUTS_IN_FLIGHT).map(([blobId, settings]) =>
          this.put(
            {
              TableName: this.tableName,
              Item: { ...triggerSettingsKey(blobId), kind: 'TRIGGER_SETTINGS', blobId, settings, [TABLE_KEYS.ttl]: expires },
            },
            `caching the trigger settings of blob ${blobId}`,
          ),
        ),
      );
    }
  }

  // ---- Plumbing ----------------------------------------------------------------------------------

  private stamp(): string {
    return this.now().toISOString();
  }

  private async requireDeployment(deploymentId: string): Promise<void> {
    if (!(await this.getDeployment(deploymentId))) throw new NotFoundError(`no deployment ${deploymentId}`);
  }

  private async setFields(deploymentId: string, fields: Record<string, unknown>, doing: string): Promise<void> {
    const names: Record<string, string> = {};
    const values: Item = { ':at': this.stamp() };
    const sets = ['updatedAt = :at'];
    Object.entries(fields).forEach(([field, value], i) => {
      names[`#f${i}`] = field;
      values[`:v${i}`] = value;
      sets.push(`#f${i} = :v${i}`);
    });
    const applied = await this.update(
      {
        TableName: this.tableName,
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
    const applied = await this.update(
      {
        TableName: this.tableName,
        Key: deploymentKey(deploymentId),
        UpdateExpression: 'SET #list = list_append(if_not_exists(#list, :empty), :entries), updatedAt = :at',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#list': list },
        ExpressionAttributeValues: { ':empty': [], ':entries': [entry], ':at': this.stamp() },
      },
      doing,
    );
    if (!applied) throw new NotFoundError(`no deployment ${deploymentId}`);
  }

  private async get(key: Record<string, string>, doing: string): Promise<Item | undefined> {
    try {
      const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      return out.Item;
    } catch (err) {
      throw wrapAwsError(doing, err);
    }
  }

  /** Returns false when the condition refused the write; every other failure is thrown, wrapped. */
  private async put(input: PutCommandInput, doing: string): Promise<boolean> {
    try {
      await this.doc.send(new PutCommand(input));
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw wrapAwsError(doing, err);
    }
  }

  /** Returns false when the condition refused the write; every other failure is thrown, wrapped. */
  private async update(input: UpdateCommandInput, doing: string): Promise<boolean> {
    try {
      await this.doc.send(new UpdateCommand(input));
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw wrapAwsError(doing, err);
    }
  }

  private async query(input: QueryCommandInput, limit: number, doing: string): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Record<string, unknown> | undefined;
    try {
      do {
        const remaining = limit - items.length;
        const out = await this.doc.send(
          new QueryCommand({
            ...input,
            ExclusiveStartKey: startKey,
            Limit: Number.isFinite(remaining) ? remaining : undefined,
          }),
        );
        items.push(...(out.Items ?? []));
        startKey = out.LastEvaluatedKey;
      } while (startKey && items.length < limit);
    } catch (err) {
      throw wrapAwsError(doing, err);
    }
    return items;
  }
}

function assertIndex(stageIndex: number): void {
  // The index is spliced into the expression, so it must be a plain non-negative integer.
  if (!Number.isInteger(stageIndex) || stageIndex < 0) {
    throw new InvalidStateError(`stage index must be a non-negative integer, got ${stageIndex}`);
  }
}

const TRIGGER_BATCH_GET = 100;
const TRIGGER_PUTS_IN_FLIGHT = 10;
/** Entries never go stale (the key hashes the content); the TTL only drops configs nobody uses any more. */
const TRIGGER_SETTINGS_TTL_SECONDS = 30 * 24 * 60 * 60;
const triggerSettingsKey = (blobId: string) => ({ PK: `TRIGGER#${blobId}`, SK: 'TRIGGER' });
