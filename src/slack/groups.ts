import { slackApi } from './web-api.js';

/** Who belongs to a Slack user group (`S…` id): how an allowlist naming a group is checked. */
export interface GroupMembers {
  membersOf(groupId: string): Promise<string[]>;
}

/** Slack user group ids start with S (user ids with U or W). */
export function isGroupId(id: string): boolean {
  return /^S[A-Z0-9]+$/.test(id);
}

/** Group membership changes rarely; a click should not wait on Slack twice within a minute. */
const CACHE_MS = 60_000;

/**
 * GroupMembers over Slack's `usergroups.users.list` (bot scope `usergroups:read`). One attempt with
 * a short timeout: the interactions endpoint answers within 3 s. A failed lookup is thrown, so the
 * click is answered "try again" rather than refused or allowed on a guess.
 */
export function slackGroupMembers(opts: { botToken: string; apiUrl?: string; timeoutMs?: number; now?: () => number }): GroupMembers {
  const client = slackApi({ token: opts.botToken, ...(opts.apiUrl ? { apiUrl: opts.apiUrl } : {}), timeoutMs: opts.timeoutMs ?? 1_000 });
  const now = opts.now ?? Date.now;
  const cache = new Map<string, { at: number; members: string[] }>();
  return {
    async membersOf(groupId) {
      const hit = cache.get(groupId);
      if (hit && now() - hit.at < CACHE_MS) return hit.members;
      const out = await client.call<{ users?: string[] }>('usergroups.users.list', { usergroup: groupId });
      const members = out.users ?? [];
      cache.set(groupId, { at: now(), members });
      return members;
    },
  };
}

/** Whether `user` is listed, or `*` is, or `user` belongs to a listed group. */
export async function mayActIn(approvers: readonly string[] | undefined, user: string, groups: GroupMembers | undefined): Promise<boolean> {
  const list = approvers ?? [];
  if (list.some((a) => a === '*' || a === user)) return true;
  if (!groups) return false;
  for (const id of list.filter(isGroupId)) {
    if ((await groups.membersOf(id)).includes(user)) return true;
  }
  return false;
}
