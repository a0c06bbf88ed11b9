import type { ApprovalRecord } from '../../domain/deployment.js';
import { ConditionalWriteConflictError, InvalidStateError, NotFoundError } from '../../errors.js';
import type { ApprovalStore } from '../../history/approval-store.js';
import { applied, type DynamoTable } from './dynamo-table.js';
import { approvalFromItem, approvalItem, approvalKey, type Item } from './items.js';

/** `DEP#<id>/APPROVAL#<stage>`: the task token and the votes; closing is once-only. */
export class DynamoApprovalStore implements ApprovalStore {
  constructor(private readonly table: DynamoTable) {}

  /**
   * Creates the approval once. Writing the same token again is a harmless redo. A different token
   * while still OPEN is the state machine retrying the approval task (each attempt gets a new token):
   * the new token replaces the dead one and the votes so far are kept. A closed approval is never
   * reopened.
   */
  async putApproval(record: ApprovalRecord): Promise<void> {
    const doing = `creating the approval of deployment ${record.deploymentId} stage ${record.stageIndex}`;
    const created = await applied(this.table.put({ Item: approvalItem(record), ConditionExpression: 'attribute_not_exists(PK)' }, doing));
    if (created) return;
    const refreshed = await applied(
      this.table.update(
        {
          Key: approvalKey(record.deploymentId, record.stageIndex),
          UpdateExpression: 'SET taskToken = :token, expiresAt = :expiresAt, approvers = :approvers, minApproverNum = :min',
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
      ),
    );
    if (!refreshed) {
      throw new InvalidStateError(`approval of deployment ${record.deploymentId} stage ${record.stageIndex} is already closed`);
    }
  }

  async getApproval(deploymentId: string, stageIndex: number): Promise<ApprovalRecord | undefined> {
    const item = await this.table.get(approvalKey(deploymentId, stageIndex), `reading the approval of deployment ${deploymentId} stage ${stageIndex}`);
    return item ? approvalFromItem(item) : undefined;
  }

  /**
   * Adds `user` once, only while OPEN. A second click by the same user is refused by the condition
   * and answered with the record as it stands, so a double click never counts twice.
   */
  async addApprover(deploymentId: string, stageIndex: number, user: string): Promise<ApprovalRecord | undefined> {
    let current: Item | undefined;
    try {
      const updated = await this.table.update(
        {
          Key: approvalKey(deploymentId, stageIndex),
          UpdateExpression: 'SET approvedBy = list_append(if_not_exists(approvedBy, :empty), :users)',
          ConditionExpression: '#status = :open AND NOT contains(approvedBy, :user)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':open': 'OPEN', ':user': user, ':users': [user], ':empty': [] },
          ReturnValues: 'ALL_NEW',
        },
        `adding approver ${user} to deployment ${deploymentId} stage ${stageIndex}`,
      );
      return approvalFromItem(updated ?? {});
    } catch (err) {
      if (!(err instanceof ConditionalWriteConflictError)) throw err;
      current = err.current;
    }
    if (!current) throw new NotFoundError(`no approval for deployment ${deploymentId} stage ${stageIndex}`);
    const approval = approvalFromItem(current);
    return approval.status === 'OPEN' ? approval : undefined;
  }

  async closeApproval(deploymentId: string, stageIndex: number, status: ApprovalRecord['status'], by?: string): Promise<boolean> {
    const sets = ['#status = :status', 'closedAt = :at'];
    const values: Item = { ':status': status, ':at': this.table.stamp(), ':open': 'OPEN' };
    if (by !== undefined) {
      sets.push('closedBy = :by');
      values[':by'] = by;
    }
    return applied(
      this.table.update(
        {
          Key: approvalKey(deploymentId, stageIndex),
          UpdateExpression: `SET ${sets.join(', ')}`,
          ConditionExpression: '#status = :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: values,
        },
        `closing the approval of deployment ${deploymentId} stage ${stageIndex} as ${status}`,
      ),
    );
  }
}
