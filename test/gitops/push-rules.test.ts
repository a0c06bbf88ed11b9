import { describe, expect, it } from 'vitest';
import { affectedApps, readAppTrigger } from '../../src/gitops/affected-apps.js';
import { compilePattern } from '../../src/gitops/path-pattern.js';
import { classifyPush, parsePushPayload, ZERO_SHA } from '../../src/gitops/push-event.js';
import { verifySignature } from '../../src/gitops/verify-signature.js';
import { buildPush, examplePush, signBody } from '../support/github.js';

describe('compilePattern', () => {
  it.each([
    ['shared/lib', 'shared/lib/a.ts', true],
    ['shared/*.yaml', 'shared/x.yaml', true],
    ['shared/*.yaml', 'shared/deep/x.yaml', false],
    ['shared/**/x.yaml', 'shared/x.yaml', true],
    ['^services/(api|web)/', 'services/web/main.go', true],
    ['^services/(api|web)/', 'services/db/main.go', false],
  ])('%s matches %s: %s', (pattern, path, expected) => {
    expect(compilePattern(pattern)(path)).toBe(expected);
  });
});

describe('affectedApps', () => {
  const web = readAppTrigger('apps/web/app.pipecd.yaml', 'spec:\n  trigger:\n    onCommit:\n      paths: [shared]\n      ignores: ["**/*.md"]\n');
  it('lets ignores win over the app directory and trigger paths', () => {
    expect(affectedApps([web], ['apps/web/README.md', 'shared/NOTES.md'], new Set()).affected).toEqual([]);
  });
  it('reports an app whose config the push removed as deleted', () => {
    expect(affectedApps([], ['apps/gone/app.pipecd.yaml'], new Set()).deleted).toEqual([{ configPath: 'apps/gone/app.pipecd.yaml', dir: 'apps/gone' }]);
  });
  it('still triggers an app whose config does not parse, so that it is reported', () => {
    const broken = readAppTrigger('apps/x/app.pipecd.yaml', 'spec: [unclosed');
    expect(affectedApps([broken], ['apps/x/app.pipecd.yaml'], new Set()).affected).toHaveLength(1);
  });
});

describe('classifyPush', () => {
  const tracking = { repos: ['stepcd/demo'], branches: [], deployTags: false };
  const parse = (p: unknown) => {
    const r = parsePushPayload(p);
    if (!r.ok) throw new Error(r.error);
    return r.payload;
  };
  it('deploys the default branch of a tracked repository with the paths from the payload', () => {
    const d = classifyPush(
      parse(buildPush({ repo: 'stepcd/demo', before: 'a'.repeat(40), after: 'b'.repeat(40), changed: { added: ['x'], removed: ['y'] } })),
      tracking,
    );
    expect(d).toMatchObject({ kind: 'deploy', push: { payloadPaths: ['x', 'y'], commit: { message: 'change apps', author: 'dev' } } });
  });
  it.each([
    ['a forced push', { forced: true }],
    ['more than 20 commits', { commits: 21 }],
    ['a new branch', { before: ZERO_SHA }],
  ])('asks for a compare when the payload is incomplete: %s', (_name, change) => {
    const d = classifyPush(parse(buildPush({ repo: 'stepcd/demo', before: 'a'.repeat(40), after: 'b'.repeat(40), ...change })), tracking);
    expect(d.kind).toBe('deploy');
    expect(d.kind === 'deploy' ? d.push.payloadPaths : 'not deployed').toBeUndefined();
  });
  it('keys the push on the configured spelling of the repository, whatever case the payload uses', () => {
    const d = classifyPush(parse(buildPush({ repo: 'StepCD/Demo', before: 'a'.repeat(40), after: 'b'.repeat(40) })), tracking);
    expect(d).toMatchObject({ kind: 'deploy', push: { repo: 'stepcd/demo' } });
  });
  it('parses the genuine example push from GitHub', () => {
    expect(parsePushPayload(examplePush()).ok).toBe(true);
  });
});

describe('verifySignature', () => {
  it('accepts the signature of the exact body and rejects any other', async () => {
    expect(await verifySignature('s', '{"a":1}', signBody('s', '{"a":1}'))).toBe(true);
    expect(await verifySignature('s', '{"a":1} ', signBody('s', '{"a":1}'))).toBe(false);
    expect(await verifySignature('s', '{"a":1}', undefined)).toBe(false);
  });
  it('refuses to work without a secret', async () => {
    await expect(verifySignature('', 'x', 'sha256=00')).rejects.toThrow(/secret/);
  });
});
