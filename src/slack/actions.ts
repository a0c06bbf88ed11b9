/**
 * What an Approve/Reject button carries. Only the deployment id and stage index travel through Slack:
 * the task token stays in DynamoDB, so a leaked message or a forged click cannot resume an execution
 * without also passing the signing-secret check and the approver rules.
 */
export const ACTION_APPROVE = 'stepcd_approve';
export const ACTION_REJECT = 'stepcd_reject';
/** On the deployment message while it runs; the stage index it carries is the one running when rendered. */
export const ACTION_CANCEL = 'stepcd_cancel';
export type ApprovalActionId = typeof ACTION_APPROVE | typeof ACTION_REJECT | typeof ACTION_CANCEL;

export interface ButtonRef {
  deploymentId: string;
  stageIndex: number;
}

export function encodeButtonValue(ref: ButtonRef): string {
  return JSON.stringify({ d: ref.deploymentId, s: ref.stageIndex });
}

/** Returns undefined for anything that is not a value stepcd wrote. */
export function decodeButtonValue(value: string): ButtonRef | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { d, s } = parsed as { d?: unknown; s?: unknown };
  if (typeof d !== 'string' || d.length === 0 || typeof s !== 'number' || !Number.isInteger(s) || s < 0) return undefined;
  return { deploymentId: d, stageIndex: s };
}
