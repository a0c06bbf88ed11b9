import { cancelDeployment } from '../orchestrator/cancel.js';
import type { DashboardDeps } from './ports.js';

export type DashboardAction = 'approve' | 'reject' | 'cancel';

export interface ActionOutcome {
  ok: boolean;
  message: string;
}

/**
 * The buttons, through the code the CLI uses: ApprovalService for approve and reject (approver rules,
 * once-only close, events) and cancelDeployment for cancel. The actor is always the viewer's AWS
 * identity, never something the page sends. `via: 'api'`: the vote's channel type has no dashboard
 * member, and the dashboard acts through the same API the CLI does.
 */
export async function runAction(deps: DashboardDeps, action: DashboardAction, deploymentId: string, opts: { reason?: string } = {}): Promise<ActionOutcome> {
  const actor = await deps.callerArn();
  if (action === 'cancel') {
    const result = await cancelDeployment(deploymentId, { history: deps.history, approvals: deps.approvals }, { by: actor });
    return { ok: result.kind === 'requested', message: result.message };
  }
  const input = { deploymentId, user: actor, via: 'api' as const, now: deps.now() };
  const result =
    action === 'approve' ? await deps.approvals.approve(input) : await deps.approvals.reject({ ...input, ...(opts.reason ? { reason: opts.reason } : {}) });
  const ok = result.kind === 'approved' || result.kind === 'recorded' || result.kind === 'rejected';
  return { ok, message: result.message };
}
