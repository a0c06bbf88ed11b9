import type { ApprovalResult } from '../approval/service.js';
import type { Target } from './context.js';
import { requireDeployment } from './deployments.js';
import type { Output } from './output.js';

export interface DecideOptions {
  decision: 'approve' | 'reject';
  deploymentId: string;
  /** The approver as approvers lists name them (Slack user ids). */
  user: string;
  reason?: string;
}

/**
 * `stepcd approve|reject <id>`: the same ApprovalService the Slack buttons use, `via: 'cli'`, so the
 * approver rules, once-only close and events are identical. Exit 1 when nothing was decided
 * (not an approver, already closed), so scripts notice.
 */
export async function decideCommand(opts: DecideOptions, target: Target, out: Output): Promise<number> {
  await requireDeployment(target, opts.deploymentId);
  const input = { deploymentId: opts.deploymentId, user: opts.user, via: 'cli' as const, now: target.now() };
  const result: ApprovalResult =
    opts.decision === 'approve'
      ? await target.approvals.approve(input)
      : await target.approvals.reject({ ...input, ...(opts.reason ? { reason: opts.reason } : {}) });
  out.data({ deploymentId: opts.deploymentId, user: opts.user, ...result });
  const ok = result.kind === 'approved' || result.kind === 'recorded' || result.kind === 'rejected';
  out.line(`${out.paint(ok ? 'green' : 'red', result.kind)}: ${result.message}`);
  if (result.kind === 'not-approver') out.line(`(pass --as <slack-user-id> to act as a listed approver)`);
  return ok ? 0 : 1;
}
