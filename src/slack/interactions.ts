import * as z from 'zod/mini';
import { ACTION_APPROVE, ACTION_CANCEL, ACTION_REJECT, decodeButtonValue } from './actions.js';

/**
 * Parses a Slack interaction request: a form-encoded body whose `payload` field holds JSON in the
 * documented `block_actions` shape. Only what stepcd needs is read; unknown fields are ignored.
 * zod/mini (about 12 KB, where classic zod is about 450 KB): a Slack click must start fast.
 */
const BlockActionsPayload = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: z.string().check(z.minLength(1)), username: z.optional(z.string()), name: z.optional(z.string()) }),
  actions: z.array(z.object({ action_id: z.string(), value: z.optional(z.string()), block_id: z.optional(z.string()) })).check(z.minLength(1)),
  response_url: z.optional(z.url()),
  container: z.optional(z.object({ message_ts: z.optional(z.string()), channel_id: z.optional(z.string()) })),
  channel: z.optional(z.object({ id: z.string() })),
  team: z.nullish(z.object({ id: z.string() })),
});

export interface ApprovalClick {
  decision: 'approve' | 'reject' | 'cancel';
  deploymentId: string;
  stageIndex: number;
  /** Slack user id of whoever clicked. */
  user: string;
  responseUrl?: string;
  channelId?: string;
  messageTs?: string;
}

export type ParsedInteraction =
  | { kind: 'approval'; click: ApprovalClick }
  /** A well-formed interaction stepcd has no business with (another app's button, a shortcut). */
  | { kind: 'ignored'; reason: string }
  | { kind: 'invalid'; reason: string };

export function parseInteraction(rawBody: string): ParsedInteraction {
  const payloadText = new URLSearchParams(rawBody).get('payload');
  if (!payloadText) return { kind: 'invalid', reason: 'no payload field in the form body' };
  let json: unknown;
  try {
    json = JSON.parse(payloadText);
  } catch {
    return { kind: 'invalid', reason: 'payload is not JSON' };
  }
  const type = (json as { type?: unknown } | null)?.type;
  if (type !== 'block_actions') return { kind: 'ignored', reason: `interaction type ${String(type)}` };
  const parsed = BlockActionsPayload.safeParse(json);
  if (!parsed.success) return { kind: 'invalid', reason: `block_actions payload: ${describeIssue(parsed.error.issues[0])}` };
  const payload = parsed.data;
  const action = payload.actions.find((a) => a.action_id === ACTION_APPROVE || a.action_id === ACTION_REJECT || a.action_id === ACTION_CANCEL);
  if (!action) return { kind: 'ignored', reason: 'no stepcd action' };
  const ref = action.value ? decodeButtonValue(action.value) : undefined;
  if (!ref) return { kind: 'invalid', reason: 'button value is not a stepcd approval reference' };
  return {
    kind: 'approval',
    click: {
      decision: action.action_id === ACTION_APPROVE ? 'approve' : action.action_id === ACTION_CANCEL ? 'cancel' : 'reject',
      deploymentId: ref.deploymentId,
      stageIndex: ref.stageIndex,
      user: payload.user.id,
      responseUrl: payload.response_url,
      channelId: payload.container?.channel_id ?? payload.channel?.id,
      messageTs: payload.container?.message_ts,
    },
  };
}

/** zod/mini loads no locale, so its messages are bare: say where and what instead. */
function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'malformed';
  const where = issue.path.length > 0 ? issue.path.join('.') : 'payload';
  return `${where}: ${issue.code.replaceAll('_', ' ')}`;
}
