import { cancelDeployment } from '../orchestrator/cancel.js';
import type { Target } from './context.js';
import { requireDeployment } from './deployments.js';
import type { Output } from './output.js';

/**
 * `stepcd cancel <id>`: flags the deployment and fails its open approval; the state machine rolls
 * back within one check of whatever it waits on. The actor recorded is the caller's AWS identity;
 * `--as` is only a display name. Cancelling a finished deployment changes nothing and exits 1.
 */
export async function cancelCommand(opts: { deploymentId: string; user: string }, target: Target, out: Output): Promise<number> {
  await requireDeployment(target, opts.deploymentId);
  const actor = await target.callerArn();
  const result = await cancelDeployment(opts.deploymentId, { history: target.history, approvals: target.approvals }, { by: actor });
  out.data({ deploymentId: opts.deploymentId, actor, as: opts.user, ...result });
  const ok = result.kind === 'requested';
  out.line(`${out.paint(ok ? 'yellow' : 'red', result.kind)}: ${result.message}`);
  if (ok) out.line(`follow it with: stepcd deployments show ${opts.deploymentId}`);
  return ok ? 0 : 1;
}
