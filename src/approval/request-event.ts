import type { DeploymentPlan } from '../domain/plan.js';
import { InvalidStateError } from '../errors.js';
import type { ApprovalService, ApprovalStage } from './service.js';

/** The Payload the WAIT_APPROVAL state sends (statemachines/deployment.asl.json). */
export interface ApprovalRequestEvent {
  taskToken: string;
  plan: DeploymentPlan;
  stage: ApprovalStage;
  timeoutSeconds?: number;
}

/** What the approval-request function needs: the service, and the clock the request is stamped with. */
export interface ApprovalRequestDeps {
  service: Pick<ApprovalService, 'requestApproval'>;
  now: () => Date;
}

/**
 * Checks the shape the handler relies on. A mismatch is a bug between the ASL and this code, so it
 * fails the task (terminal) rather than leaving an execution waiting on a token nobody stored.
 */
export function parseApprovalRequest(event: unknown): { plan: DeploymentPlan; stage: ApprovalStage; taskToken: string } {
  const e = (event ?? {}) as Partial<ApprovalRequestEvent>;
  if (typeof e.taskToken !== 'string' || e.taskToken.length === 0) throw new InvalidStateError('approval request without a task token');
  if (typeof e.plan?.deploymentId !== 'string') throw new InvalidStateError('approval request without a plan');
  const stage = e.stage as { name?: unknown; index?: unknown; with?: Partial<ApprovalStage['with']> } | undefined;
  if (stage?.name !== 'WAIT_APPROVAL' || typeof stage.index !== 'number') {
    throw new InvalidStateError(`approval request for a ${String(stage?.name)} stage; expected WAIT_APPROVAL`);
  }
  const w = stage.with ?? {};
  if (!Array.isArray(w.approvers) || typeof w.minApproverNum !== 'number' || typeof w.timeoutSeconds !== 'number') {
    throw new InvalidStateError('WAIT_APPROVAL stage without approvers, minApproverNum and timeoutSeconds');
  }
  return { plan: e.plan, stage: e.stage as ApprovalStage, taskToken: e.taskToken };
}
