import type { ApprovalResult } from '../approval/service.js';
import type { Target } from './context.js';
import { requireDeployment } from './deployments.js';
import type { Output } from './output.js';

export interface DecideOptions {
  decision: 'approve' | 'reject';
  deploymentId: string;
  /** `--as`: a display name only; the actor recorded is the caller's AWS identity. */
  user: string;
  reason?: string;
}

/**
 * `stepcd approve|reject <id>`: the same ApprovalService the Slack buttons use, `via: 'cli'`, so the
 * once-only close, vote counting and events are identical. The actor is the caller's AWS identity
 * (STS GetCallerIdentity ARN): IAM decided who may reach the table and the state machine, and `--as`
 * is only shown next to it. Exit 1 when nothing was decided (already closed), so scripts notice.
 */
export async function decideCommand(opts: DecideOptions, target: Target, out: Output): Promise<number> {
  await requireDeployment(target, opts.deploymentId);
  const actor = await target.callerArn();
  const input = { deploymentId: opts.deploymentId, user: actor, as: opts.user, via: 'cli' as const, now: target.now() };
  const result: ApprovalResult =
    opts.decision === 'approve'
      ? await target.approvals.approve(input)
      : await target.approvals.reject({ ...input, ...(opts.reason ? { reason: opts.reason } : {}) });
  out.data({ deploymentId: opts.deploymentId, actor, as: opts.user, ...result });
  const ok = result.kind === 'approved' || result.kind === 'recorded' || result.kind === 'rejected';
  out.line(`${out.paint(ok ? 'green' : 'red', result.kind)}: ${result.message}`);
  return ok ? 0 : 1;
}
