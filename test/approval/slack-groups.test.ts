import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGroupId, mayActIn, slackGroupMembers } from '../../src/slack/groups.js';
import { startSlackStandin, type SlackStandin } from '../support/slack-standin.js';

/** Allowlists naming Slack user groups, checked over the real Web API client against the stand-in. */
describe('Rule: approvers may name Slack user groups', () => {
  let slack: SlackStandin;

  beforeAll(async () => {
    slack = await startSlackStandin();
    slack.groups.set('S0ONCALL', ['U0ALICE', 'U0BOB']);
  });
  afterAll(() => slack.close());

  const groups = () => slackGroupMembers({ botToken: 'xoxb-test', apiUrl: slack.apiUrl });

  it.each([
    ['success: a member of a listed group', ['S0ONCALL'], 'U0ALICE', true],
    ['success: a listed user, without asking Slack', ['U0CAROL', 'S0ONCALL'], 'U0CAROL', true],
    ['fail: someone in no listed group', ['S0ONCALL'], 'U0MALLORY', false],
    ['fail: nobody under an empty list', [], 'U0ALICE', false],
  ])('%s', async (_name, approvers, user, expected) => {
    expect(await mayActIn(approvers, user, groups())).toBe(expected);
  });

  it('asks usergroups.users.list once a minute per group, with the bot token', async () => {
    const before = slack.callsTo('usergroups.users.list').length;
    const g = groups();
    await mayActIn(['S0ONCALL'], 'U0BOB', g);
    await mayActIn(['S0ONCALL'], 'U0MALLORY', g);
    const calls = slack.callsTo('usergroups.users.list').slice(before);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ body: { usergroup: 'S0ONCALL' }, authorization: 'Bearer xoxb-test' });
  });

  it('fail: an unknown group is an error, not a silent yes or no', async () => {
    await expect(mayActIn(['S0NOSUCH'], 'U0ALICE', groups())).rejects.toThrow(/no_such_subteam/);
  });

  it('tells group ids from user ids', () => {
    expect(['S0ONCALL', 'U0ALICE', 'W0ADMIN', '*'].map(isGroupId)).toEqual([true, false, false, false]);
  });
});
