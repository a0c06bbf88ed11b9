import type { ApprovalVote, DeploymentError, DeploymentRecord, DeploymentState, DeploymentStatus, StageStatus } from '../../domain/deployment.js';
import { FINAL_STATUSES } from '../../domain/deployment.js';
import { ConditionalWriteConflictError, InvalidStateError, NotFoundError } from '../../errors.js';
import type { DeploymentStore } from '../../history/deployment-store.js';
import { isFinal } from '../../history/records.js';
import { applied, type DynamoTable } from './dynamo-table.js';
import { ACTIVE_PARTITION, appPartition, deploymentFromItem, deploymentItem, deploymentKey, type Item } from './items.js';
import { TABLE_KEYS } from './table.js';

/** Stage statuses after which a stage is over; they stamp `endedAt`. */
const ENDED_STAGE_STATUSES: readonly StageStatus[] = ['SUCCESS', 'FAILURE', 'SKIPPED', 'CANCELLED'];

/**
 * `DEP#<id>/DEPLOYMENT`: the deployment records. Every rule that must hold under concurrency (final
 * statuses stick, no write to a missing record, no stage past the end) is a single-item condition
 * expression, because dynalite (the local table) has no transactions.
 */
export class DynamoDeploymentStore implements DeploymentStore {
  constructor(
    private readonly table: DynamoTable,
    private readonly defaultListLimit = 50,
  ) {}

  async putDeployment(record: DeploymentRecord): Promise<void> {
    await this.table.put({ Item: deploymentItem(record) }, `putting deployment ${record.deploymentId}`);
  }

  async createDeployment(record: DeploymentRecord): Promise<boolean> {
    return applied(
      this.table.put({ Item: deploymentItem(record), ConditionExpression: 'attribute_not_exists(PK)' }, `creating deployment ${record.deploymentId}`),
    );
  }

  async getDeployment(deploymentId: string): Promise<DeploymentRecord | undefined> {
    const item = await this.table.get(deploymentKey(deploymentId), `reading deployment ${deploymentId}`);
    return item ? deploymentFromItem(item) : undefined;
  }

  /** Many records in few calls (BatchGetItem, 100 ids each): the trigger checks a whole push at once. */
  async getDeployments(deploymentIds: readonly string[]): Promise<Map<string, DeploymentRecord>> {
    const unique = [...new Set(deploymentIds)];
    const items = await this.table.getMany(unique.map(deploymentKey), `reading ${unique.length} deployment(s)`);
    const records = new Map<string, DeploymentRecord>();
    for (const item of items) {
      const record = deploymentFromItem(item);
      records.set(record.deploymentId, record);
    }
    return records;
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
    await this.updateExisting(
      deploymentId,
      {
        Key: deploymentKey(deploymentId),
        UpdateExpression: update,
        ConditionExpression: `attribute_exists(PK) AND NOT (#status IN (${finals}))`,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
      },
      `setting deployment ${deploymentId} to ${status}`,
    );
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
    const refused = await this.updateExisting(
      deploymentId,
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
    if (refused) throw new NotFoundError(`deployment ${deploymentId} has no stage ${stageIndex}`);
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

  // ---- Plumbing ----------------------------------------------------------------------------------

  /**
   * Runs an update whose condition may refuse it. A refusal with no record at all is NotFoundError;
   * a refusal of an existing record (a final status that sticks) is returned for the caller to judge.
   */
  private async updateExisting(
    deploymentId: string,
    input: Parameters<DynamoTable['update']>[0],
    doing: string,
  ): Promise<ConditionalWriteConflictError | undefined> {
    try {
      await this.table.update(input, doing);
      return undefined;
    } catch (err) {
      if (!(err instanceof ConditionalWriteConflictError)) throw err;
      if (!err.current) throw new NotFoundError(`no deployment ${deploymentId}`, { cause: err });
      return err;
    }
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
    const written = await applied(
      this.table.update(
        {
          Key: deploymentKey(deploymentId),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
        doing,
      ),
    );
    if (!written) throw new NotFoundError(`no deployment ${deploymentId}`);
  }

  private async append(deploymentId: string, list: 'errors' | 'approvals', entry: unknown, doing: string): Promise<void> {
    const written = await applied(
      this.table.update(
        {
          Key: deploymentKey(deploymentId),
          UpdateExpression: 'SET #list = list_append(if_not_exists(#list, :empty), :entries), updatedAt = :at',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: { '#list': list },
          ExpressionAttributeValues: { ':empty': [], ':entries': [entry], ':at': this.table.stamp() },
        },
        doing,
      ),
    );
    if (!written) throw new NotFoundError(`no deployment ${deploymentId}`);
  }
}

function assertIndex(stageIndex: number): void {
  // The index is spliced into the expression, so it must be a plain non-negative integer.
  if (!Number.isInteger(stageIndex) || stageIndex < 0) {
    throw new InvalidStateError(`stage index must be a non-negative integer, got ${stageIndex}`);
  }
}
