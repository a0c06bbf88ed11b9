import { describe, expect, it } from 'vitest';
import { InvalidEventPatternError, matchesPattern, validatePattern } from '../../src/local/eventbridge/pattern.js';

/** The example event of EventBridge's pattern documentation (an EC2 state change), trimmed. */
const EC2_EVENT = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: {
    'instance-id': 'i-1234567890abcdef0',
    state: 'terminated',
    'c-count': 5,
    'd-count': 0,
    'x-limit': 301.8,
    'source-ip': '10.0.0.123',
    location: 'eu-west',
  },
};

const match = (pattern: object, event: object = EC2_EVENT) => {
  validatePattern(pattern);
  return matchesPattern(pattern as never, event);
};

describe('event patterns: as EventBridge documents them', () => {
  it('matches every field named (AND), any value listed (OR), nested under detail', () => {
    expect(match({ source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } })).toBe(true);
    expect(match({ source: ['aws.ec2'], detail: { state: ['running', 'terminated'] } })).toBe(true);
    expect(match({ source: ['aws.ec2'], detail: { state: ['running'] } })).toBe(false);
    expect(match({ source: ['aws.ecs'], detail: { state: ['terminated'] } })).toBe(false);
    // Exact and case-sensitive; a field the event lacks fails the match.
    expect(match({ detail: { state: ['Terminated'] } })).toBe(false);
    expect(match({ detail: { color: ['red'] } })).toBe(false);
    expect(match({})).toBe(true);
  });

  it('matches an event array when the pattern and event arrays intersect', () => {
    const pattern = {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
      ],
    };
    const event = {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    };
    expect(match(pattern, event)).toBe(true);
    expect(match(pattern, { resources: [event.resources[0]] })).toBe(false);
  });

  it('prefix, suffix, equals-ignore-case and wildcard match strings', () => {
    expect(match({ time: [{ prefix: '2017-12-22' }] })).toBe(true);
    expect(match({ time: [{ prefix: '2017-10-02' }] })).toBe(false);
    expect(match({ source: [{ prefix: { 'equals-ignore-case': 'AWS.' } }] })).toBe(true);
    expect(match({ detail: { 'instance-id': [{ suffix: 'def0' }] } })).toBe(true);
    expect(match({ source: [{ 'equals-ignore-case': 'AWS.EC2' }] })).toBe(true);
    expect(match({ detail: { location: [{ wildcard: 'eu-*' }] } })).toBe(true);
    expect(match({ detail: { location: [{ wildcard: 'us-*' }] } })).toBe(false);
    // Not on numbers.
    expect(match({ detail: { 'c-count': [{ prefix: '5' }] } })).toBe(false);
  });

  it('anything-but excludes a value, a list or a prefix, and needs the field to be there', () => {
    expect(match({ detail: { state: [{ 'anything-but': 'initializing' }] } })).toBe(true);
    expect(match({ detail: { state: [{ 'anything-but': 'terminated' }] } })).toBe(false);
    expect(match({ detail: { state: [{ 'anything-but': ['stopped', 'terminated'] }] } })).toBe(false);
    expect(match({ detail: { 'x-limit': [{ 'anything-but': 123 }] } })).toBe(true);
    expect(match({ detail: { state: [{ 'anything-but': { prefix: 'term' } }] } })).toBe(false);
    expect(match({ detail: { state: [{ 'anything-but': { prefix: 'init' } }] } })).toBe(true);
    expect(match({ detail: { state: [{ 'anything-but': { suffix: 'ated' } }] } })).toBe(false);
    expect(match({ detail: { missing: [{ 'anything-but': 'x' }] } })).toBe(false);
  });

  it('numeric ranges, IPv4 CIDR blocks and exists', () => {
    expect(
      match({ detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 301.8] }] } }),
    ).toBe(true);
    expect(match({ detail: { 'c-count': [{ numeric: ['>', 5] }] } })).toBe(false);
    expect(match({ detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }] } })).toBe(true);
    expect(match({ detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } })).toBe(false);
    expect(match({ detail: { state: [{ exists: true }] } })).toBe(true);
    expect(match({ detail: { state: [{ exists: false }] } })).toBe(false);
    expect(match({ detail: { 'no-such-field': [{ exists: false }] } })).toBe(true);
    expect(match({ detail: { 'no-such-field': [{ exists: true }] } })).toBe(false);
  });

  it('$or: any of its patterns, at the top or nested', () => {
    const pattern = {
      detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }, { 'x-limit': [{ numeric: ['=', 3.018e2] }] }] },
    };
    expect(match(pattern)).toBe(true);
    expect(match(pattern, { detail: { 'c-count': 9, 'd-count': 10, 'x-limit': 1 } })).toBe(false);
    expect(match(pattern, { detail: { 'c-count': 9, 'd-count': 3 } })).toBe(true);
    const top = { source: ['aws.ec2'], $or: [{ 'detail-type': ['Nope'] }, { detail: { state: ['terminated'] } }] };
    expect(match(top)).toBe(true);
    expect(match({ ...top, source: ['aws.ecs'] })).toBe(false);
  });

  it('refuses what PutRule refuses', () => {
    for (const bad of [
      { source: 'aws.ec2' },
      { source: [] },
      { detail: { state: [{ prefix: 1 }] } },
      { detail: { state: [{ 'no-such-operator': 'x' }] } },
      { detail: { state: [{ prefix: 'a', suffix: 'b' }] } },
      { detail: { n: [{ numeric: ['>', 'one'] }] } },
      { detail: { n: [{ numeric: ['~', 1] }] } },
      { detail: { state: [{ exists: 'yes' }] } },
      { $or: [{ source: ['a'] }] },
      { detail: { ip: [{ cidr: 'ten/8' }] } },
      [],
    ]) {
      expect(() => validatePattern(bad), JSON.stringify(bad)).toThrow(InvalidEventPatternError);
    }
  });
});
