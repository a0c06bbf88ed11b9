import { describe, expect, it } from 'vitest';
import { diffDesired, formatChange } from '../../src/plan/diff.js';
import { tagsByKey } from '../../src/plan/preview.js';

describe('diffDesired', () => {
  const cases: { name: string; live: unknown; desired: unknown; expected: string[] }[] = [
    { name: 'success: fields AWS adds are not differences', live: { family: 'web', revision: 3, status: 'ACTIVE' }, desired: { family: 'web' }, expected: [] },
    { name: 'success: numbers and numeric strings are equal', live: { cpu: 256 }, desired: { cpu: '256' }, expected: [] },
    {
      name: 'success: a changed nested value names its path',
      live: { c: [{ image: 'a:1' }] },
      desired: { c: [{ image: 'a:2' }] },
      expected: ['~ c[0].image: a:1 → a:2'],
    },
    { name: 'success: a field missing live is added', live: {}, desired: { desiredCount: 2 }, expected: ['+ desiredCount: 2'] },
    { name: 'success: an array item only live is removed', live: { c: [1, 2] }, desired: { c: [1] }, expected: ['- c[1]: 2'] },
    { name: 'success: nothing live means everything is added', live: undefined, desired: { a: 1 }, expected: ['+ .: {"a":1}'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(diffDesired(c.live, c.desired).map(formatChange)).toEqual(c.expected);
    });
  }
});

describe('tagsByKey', () => {
  it('compares tags by key and leaves out the ones stepcd and AWS add', () => {
    const live = {
      tags: [
        { key: 'stepcd:app', value: 'x' },
        { key: 'aws:cloudformation:stack-name', value: 's' },
        { key: 'team', value: 'a' },
      ],
    };
    expect(tagsByKey(live)).toEqual({ tags: { team: 'a' } });
    expect(diffDesired(tagsByKey(live), tagsByKey({ tags: [{ key: 'team', value: 'b' }] })).map(formatChange)).toEqual(['~ tags.team: a → b']);
  });
});
