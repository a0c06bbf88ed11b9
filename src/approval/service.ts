import type { ApprovalRecord, ApprovalVote, DeploymentRecord } from '../domain/deployment.js';
import { DetailType, type EventPublisher } from '../domain/events.js';
import type { DeploymentPlan, PlannedStage } from '../domain/plan.js';
import type { WorkflowPort } from '../domain/workflow.js';
import { ErrorName, InvalidStateError, NotFoundError } from '../errors.js';
import type { AppStateStore } from '../history/app-state-store.js';
import type { ApprovalStore } from '../history/approval-store.js';
import type { DeploymentStore } from '../history/deployment-store.js';
import type { StageWaitStore } from '../history/stage-wait-store.js';
import { announce } from '../notify/announce.js';
import { notifySettings, type Notifier } from '../slack/notifier.js';
import { toApprovalView } from '../slack/blocks.js';
import { alreadyClosedMessage, approvalsRemaining, closedReason, isAllowedApprover, type ClosedReason } from './rules.js';
import { mayActIn, type GroupMembers } from '../slack/groups.js';
import { cancelDeployment } from '../orchestrator/cancel.js';
import type { WaitTokenPort } from '../stability/ports.js';

/** The approval items the service decides on, and the records it moves (votes, stage, status, cancel). */
export type ApprovalHistory = ApprovalStore &
  Pick<StageWaitStore, 'currentWait' | 'closeWait'> &
  Pick<DeploymentStore, 'getDeployment' | 'addApprovalVote' | 'setStageStatus' | 'setStatus' | 'requestCancel'> &
  Pick<AppStateStore, 'getAppState'>;

export interface ApprovalServiceDeps {
  history: ApprovalHistory;
  workflow: Pick<WorkflowPort, 'sendTaskSuccess' | 'sendTaskFailure'>;
  /** The queue's and the stage waits' tokens, which a cancel settles. */
  tokens: WaitTokenPort;
  events: EventPublisher;
  notifier: Notifier;
  logger: {
    info(message: string, ...extra: unknown[]): void;
    warn(message: string, ...extra: unknown[]): void;
    error(message: string, ...extra: unknown[]): void;
  };
  /** Membership of Slack user groups named in an approver list (absent: groups match nobody). */
  groups?: GroupMembers;
}

export type ApprovalStage = Extract<PlannedStage, { name: 'WAIT_APPROVAL' }>;

export interface DecisionInput {
  deploymentId: string;
  /** Omitted by the CLI: the open approval of the deployment is meant. */
  stageIndex?: number;
  /**
   * Who acts: the Slack user id of the click, or from the CLI the caller's AWS identity (STS ARN),
   * whom IAM already let reach the table and the state machine.
   */
  user: string;
  via: ApprovalVote['via'];
  /** A display name (`--as`); never who is authorised or recorded as the actor. */
  as?: string;
  now: Date;
}

export type ApprovalResult =
  | { kind: 'approved'; message: string; approvedBy: string[] }
  /** Counted, but minApproverNum is not reached yet. */
  | { kind: 'recorded'; message: string; approvedBy: string[]; remaining: number }
  | { kind: 'rejected'; message: string }
  | { kind: 'cancelled'; message: string }
  | { kind: 'not-approver'; message: string }
  | { kind: 'closed'; message: string };

/**
 * Approvals over Step Functions task tokens (ARCHITECTURE §5 WAIT_APPROVAL, §8). The token lives only
 * in the approval item; every decision goes through its once-only conditional close, so a double
 * click, a race between two approvers or a replayed request resumes the execution at most once.
 */
export class ApprovalService {
  constructor(private readonly deps: ApprovalServiceDeps) {}

  /** Called by the approval-request Lambda with the token of the waiting task. Returns quickly. */
  async requestApproval(input: { plan: DeploymentPlan; stage: ApprovalStage; taskToken: string; now: Date }): Promise<void> {
    const { plan, stage, taskToken, now } = input;
    const { history } = this.deps;
    const id = plan.deploymentId;
    const at = now.toISOString();
    const approval: ApprovalRecord = {
      deploymentId: id,
      stageIndex: stage.index,
      taskToken,
      approvers: stage.with.approvers,
      minApproverNum: stage.with.minApproverNum,
      approvedBy: [],
      status: 'OPEN',
      createdAt: at,
      expiresAt: new Date(now.getTime() + stage.with.timeoutSeconds * 1000).toISOString(),
    };
    try {
      // A retried task brings a new token; the store swaps it in and keeps the votes while OPEN.
      await history.putApproval(approval);
    } catch (err) {
      if (!(err instanceof InvalidStateError)) throw err;
      // Closed before this attempt's token was stored: answer the new token the way it was decided.
      await this.settleFromClosed(id, stage.index, taskToken);
      return;
    }
    await history.setStageStatus(id, stage.index, 'RUNNING', { at });
    await history.setStatus(id, 'WAITING_APPROVAL', { at });

    const record = await this.load(id);
    // `stepcd cancel` may have run between the stage starting and the token being stored.
    if (record.cancelRequested) {
      await this.cancelPending(id, { by: 'cancel request' });
      return;
    }
    await this.announce(record, DetailType.DEPLOYMENT_WAIT_APPROVAL, now, { stage: { index: stage.index, name: stage.name } });
    await this.deps.notifier.approvalRequested(
      record,
      { stageIndex: stage.index, approvers: approval.approvers, minApproverNum: approval.minApproverNum, expiresAt: approval.expiresAt },
      notifySettings(plan),
    );
  }

  async approve(input: DecisionInput): Promise<ApprovalResult> {
    const found = await this.findOpen(input);
    if ('result' in found) return found.result;
    const { record, approval } = found;
    const { history } = this.deps;
    const { user, now } = input;

    if (approval.approvedBy.includes(user)) {
      const remaining = approvalsRemaining(approval);
      return { kind: 'recorded', message: `you already approved; waiting for ${remaining} more`, approvedBy: approval.approvedBy, remaining };
    }
    const updated = await history.addApprover(record.deploymentId, approval.stageIndex, user);
    if (!updated) return this.closedNow(record, approval.stageIndex, now);
    const vote: ApprovalVote = { user, at: now.toISOString(), decision: 'APPROVE', via: input.via, ...(input.as ? { as: input.as } : {}) };

    const remaining = approvalsRemaining(updated);
    if (remaining > 0) {
      await this.recordVoteOnce(record.deploymentId, approval.createdAt, vote);
      await this.deps.notifier.approvalUpdated(await this.load(record.deploymentId), { approval: toApprovalView(updated), by: user });
      return {
        kind: 'recorded',
        message: `approval recorded (${updated.approvedBy.length}/${updated.minApproverNum}); waiting for ${remaining} more`,
        approvedBy: updated.approvedBy,
        remaining,
      };
    }

    // Once-only: of two simultaneous final approvals, one closes and the other hears "already closed".
    if (!(await history.closeApproval(record.deploymentId, approval.stageIndex, 'APPROVED', user))) {
      // A distinct approver who lost the race still approved; the same user's second click did not.
      await this.recordVoteOnce(record.deploymentId, approval.createdAt, vote);
      return this.closedNow(record, approval.stageIndex, now);
    }
    await history.addApprovalVote(record.deploymentId, vote);
    const resumed = await this.deps.workflow.sendTaskSuccess(updated.taskToken, { approvedBy: updated.approvedBy });
    if (!resumed) return this.tokenGone(record, approval.stageIndex);

    const approver = updated.approvedBy.join(', ');
    await this.announce(record, DetailType.DEPLOYMENT_APPROVED, now, { approver, stage: { index: approval.stageIndex, name: 'WAIT_APPROVAL' } });
    await this.deps.notifier.approvalUpdated(await this.load(record.deploymentId), {
      approval: { ...toApprovalView(updated), status: 'APPROVED', closedBy: user, closedAt: now.toISOString() },
      by: user,
    });
    this.deps.logger.info('approval granted', { deploymentId: record.deploymentId, stageIndex: approval.stageIndex, approvedBy: updated.approvedBy });
    return { kind: 'approved', message: `approved by ${approver}`, approvedBy: updated.approvedBy };
  }

  async reject(input: DecisionInput & { reason?: string }): Promise<ApprovalResult> {
    const found = await this.findOpen(input);
    if ('result' in found) return found.result;
    const { record, approval } = found;
    const { user, now } = input;

    if (!(await this.deps.history.closeApproval(record.deploymentId, approval.stageIndex, 'REJECTED', user))) {
      return this.closedNow(record, approval.stageIndex, now);
    }
    await this.deps.history.addApprovalVote(record.deploymentId, {
      user,
      at: now.toISOString(),
      decision: 'REJECT',
      via: input.via,
      ...(input.as ? { as: input.as } : {}),
    });
    const cause = `rejected by ${user}${input.reason ? `: ${input.reason}` : ''}`;
    // stepcd.Rejected sends the execution to RollbackBegin.
    if (!(await this.deps.workflow.sendTaskFailure(approval.taskToken, ErrorName.Rejected, cause))) {
      return this.tokenGone(record, approval.stageIndex);
    }
    await this.deps.notifier.approvalUpdated(await this.load(record.deploymentId), {
      approval: { ...toApprovalView(approval), status: 'REJECTED', closedBy: user, closedAt: now.toISOString() },
      by: user,
    });
    this.deps.logger.info('approval rejected', { deploymentId: record.deploymentId, stageIndex: approval.stageIndex, user });
    return { kind: 'rejected', message: cause };
  }

  /**
   * Fails every open approval of a deployment with stepcd.Cancelled (`stepcd cancel`), so a waiting
   * execution rolls back now instead of at its timeout. Returns how many tokens it failed.
   */
  async cancelPending(deploymentId: string, opts: { by?: string } = {}): Promise<number> {
    const record = await this.load(deploymentId);
    const by = opts.by ?? 'cancel';
    let failed = 0;
    for (const stage of record.stages.filter((s) => s.name === 'WAIT_APPROVAL')) {
      const approval = await this.deps.history.getApproval(deploymentId, stage.index);
      if (approval?.status !== 'OPEN') continue;
      if (!(await this.deps.history.closeApproval(deploymentId, stage.index, 'CANCELLED', by))) continue;
      if (await this.deps.workflow.sendTaskFailure(approval.taskToken, ErrorName.Cancelled, `cancelled by ${by}`)) failed++;
    }
    return failed;
  }

  /**
   * A queued deployment waits on a task token rather than polling: a cancel resumes it, so Begin
   * sees the cancel now and ends it CANCELLED. False when it is not waiting in the queue.
   */
  async resumeQueued(app: string, deploymentId: string): Promise<boolean> {
    const token = (await this.deps.history.getAppState(app)).queueTokens?.[deploymentId];
    return token ? this.deps.tokens.resume(token, { cancelRequested: true }) : false;
  }

  /**
   * Fails the deployment's open stability or ANALYSIS wait with stepcd.Cancelled, so a stage sleeping
   * on ECS events rolls back now rather than at its next backstop check. Once-only against a racing
   * event (closeWait); false when nothing was waiting.
   */
  async cancelStageWait(deploymentId: string, opts: { by?: string } = {}): Promise<boolean> {
    const wait = await this.deps.history.currentWait(deploymentId);
    if (!wait || !(await this.deps.history.closeWait(wait))) return false;
    // A WAIT says so in the words its own cancel check uses (openWaitStage).
    const by = opts.by ?? 'cancel';
    if (wait.target.kind === 'duration') return this.deps.tokens.fail(wait.taskToken, ErrorName.Cancelled, `cancelled by ${by} during WAIT`);
    const doing =
      wait.target.kind === 'alarms'
        ? 'ANALYSIS was analysing'
        : `${(await this.load(deploymentId)).stages[wait.stageIndex]?.name ?? 'a stage'} was stabilising`;
    return this.deps.tokens.fail(wait.taskToken, ErrorName.Cancelled, `cancelled by ${by} while ${doing}`);
  }

  /**
   * Slack's Cancel button: allowed to whoever the app's approver rule allows (the approvers of its
   * WAIT_APPROVAL stages, else the stack allowlist); then exactly `stepcd cancel`.
   */
  async cancel(input: { deploymentId: string; user: string; via: ApprovalVote['via'] }): Promise<ApprovalResult> {
    const record = await this.deps.history.getDeployment(input.deploymentId);
    if (!record) return { kind: 'closed', message: `there is no deployment ${input.deploymentId}` };
    if (input.via === 'slack' && !(await mayActIn(record.approvers, input.user, this.deps.groups))) {
      return { kind: 'not-approver', message: `you may not cancel deployments of ${record.app.name}` };
    }
    const result = await cancelDeployment(input.deploymentId, { history: this.deps.history, approvals: this }, { by: input.user });
    if (result.kind === 'already-final') return { kind: 'closed', message: result.message };
    this.deps.logger.info('cancel requested', { deploymentId: input.deploymentId, by: input.user, via: input.via });
    return { kind: 'cancelled', message: result.message };
  }

  /** The record and the open approval a decision is about, or the answer when there is none. */
  private async findOpen(input: DecisionInput): Promise<{ record: DeploymentRecord; approval: ApprovalRecord } | { result: ApprovalResult }> {
    const record = await this.deps.history.getDeployment(input.deploymentId);
    const index = record ? (input.stageIndex ?? currentApprovalStage(record)) : undefined;
    const approval = record && index !== undefined ? await this.deps.history.getApproval(record.deploymentId, index) : undefined;
    if (!record || !approval) {
      return { result: { kind: 'closed', message: `there is no approval to answer for deployment ${input.deploymentId}` } };
    }
    // Slack clicks are checked against the approver rule; the CLI's caller was checked by IAM.
    if (input.via === 'slack' && !isAllowedApprover(approval, input.user) && !(await mayActIn(approval.approvers, input.user, this.deps.groups))) {
      return { result: { kind: 'not-approver', message: `you are not an approver for ${record.app.name}` } };
    }
    const reason = closedReason(approval, record, input.now);
    // A late click changes no state: the state machine's own timeout and end paths close the item.
    if (reason) return { result: { kind: 'closed', message: alreadyClosedMessage(reason) } };
    return { record, approval };
  }

  /**
   * Appends a vote unless this user already has one of the same kind for this approval. Only the
   * winner of the once-only close writes unconditionally; a check-then-write here can still double a
   * vote for two truly simultaneous clicks by one user, which affects the log, never the outcome.
   */
  private async recordVoteOnce(deploymentId: string, since: string, vote: ApprovalVote): Promise<void> {
    const record = await this.deps.history.getDeployment(deploymentId);
    const seen = record?.approvals.some((v) => v.user === vote.user && v.decision === vote.decision && v.at >= since);
    if (!seen) await this.deps.history.addApprovalVote(deploymentId, vote);
  }

  /** Someone else closed the approval between our read and our write: say how it ended. */
  private async closedNow(record: DeploymentRecord, stageIndex: number, now: Date): Promise<ApprovalResult> {
    const current = await this.deps.history.getApproval(record.deploymentId, stageIndex);
    const reason: ClosedReason = (current && closedReason(current, record, now)) ?? { why: 'closed', status: 'CLOSED', approvedBy: [] };
    return { kind: 'closed', message: alreadyClosedMessage(reason) };
  }

  /**
   * SFN says the token is spent: the task timed out or the execution stopped a moment before the
   * decision arrived. The approval item already says otherwise and cannot be reopened; the execution's
   * own rollback path records the real outcome, so this is logged and reported as closed.
   */
  private tokenGone(record: DeploymentRecord, stageIndex: number): ApprovalResult {
    this.deps.logger.warn('the task token was already closed when the decision arrived', { deploymentId: record.deploymentId, stageIndex });
    return { kind: 'closed', message: alreadyClosedMessage({ why: 'expired' }) };
  }

  /** A retried request task whose approval was decided before: answer the new token the same way. */
  private async settleFromClosed(deploymentId: string, stageIndex: number, taskToken: string): Promise<void> {
    const approval = await this.deps.history.getApproval(deploymentId, stageIndex);
    if (!approval) throw new NotFoundError(`approval of deployment ${deploymentId} stage ${stageIndex} vanished`);
    const { workflow } = this.deps;
    if (approval.status === 'APPROVED') await workflow.sendTaskSuccess(taskToken, { approvedBy: approval.approvedBy });
    else if (approval.status === 'REJECTED') await workflow.sendTaskFailure(taskToken, ErrorName.Rejected, `rejected by ${approval.closedBy ?? 'someone'}`);
    else await workflow.sendTaskFailure(taskToken, ErrorName.Cancelled, `approval already ${approval.status.toLowerCase()}`);
  }

  private async load(deploymentId: string): Promise<DeploymentRecord> {
    const record = await this.deps.history.getDeployment(deploymentId);
    if (!record) throw new NotFoundError(`deployment ${deploymentId} has no history record`);
    return record;
  }

  /** Events tell subscribers what happened; failing to publish one must not undo a decision. */
  private announce(
    record: DeploymentRecord,
    detailType: DetailType,
    now: Date,
    extra: { stage?: { index: number; name: string }; approver?: string },
  ): Promise<void> {
    // An approval lets the deployment run on: its event says RUNNING before the record does.
    const status = detailType === DetailType.DEPLOYMENT_APPROVED ? 'RUNNING' : record.status;
    return announce(this.deps, record, detailType, { status, now, ...extra });
  }
}

/** The approval a CLI `approve <deployment>` means: the running WAIT_APPROVAL stage, else the latest one. */
export function currentApprovalStage(record: DeploymentRecord): number | undefined {
  const approvals = record.stages.filter((s) => s.name === 'WAIT_APPROVAL');
  return (approvals.find((s) => s.status === 'RUNNING') ?? approvals.at(-1))?.index;
}
