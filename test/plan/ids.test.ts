import { describe, expect, it } from 'vitest';
import { deploymentIdFor, executionNameFor } from '../../src/plan/index.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('deploymentIdFor', () => {
  const base = { repo: 'acme/deploys', configPath: 'apps/web/app.pipecd.yaml', sha: SHA };

  it('success: is deterministic, so a redelivered push maps to the same deployment', () => {
    expect(deploymentIdFor(base)).toBe(deploymentIdFor({ ...base }));
    expect(deploymentIdFor(base)).toMatch(/^d-[0-9a-f]{20}$/);
  });

  it.each([
    ['another repo', { ...base, repo: 'acme/other' }],
    ['another app', { ...base, configPath: 'apps/api/app.pipecd.yaml' }],
    ['another config in the same directory', { ...base, configPath: 'apps/web/canary.pipecd.yaml' }],
    ['another commit', { ...base, sha: SHA.replace('0', 'f') }],
    ['a salt', { ...base, salt: 'redeploy-1' }],
    ['fields that concatenate the same', { ...base, repo: 'acme/deploysapps', configPath: '/web/app.pipecd.yaml' }],
  ])('success: differs for %s', (_name, other) => {
    expect(deploymentIdFor(other)).not.toBe(deploymentIdFor(base));
  });
});

describe('executionNameFor', () => {
  it('success: is <app>-<sha7>-<hash8>', () => {
    expect(executionNameFor('web', SHA, 'd-1')).toMatch(/^web-0123456-[0-9a-f]{8}$/);
  });

  it('success: replaces characters SFN refuses', () => {
    expect(executionNameFor('my.app/v2 beta', SHA, 'd-1')).toMatch(/^my-app-v2-beta-0123456-[0-9a-f]{8}$/);
  });

  it('success: truncates a long app name but keeps the unique suffix', () => {
    const name = executionNameFor('a'.repeat(200), SHA, 'd-1');
    expect(name).toHaveLength(80);
    expect(name).toMatch(/^a+-0123456-[0-9a-f]{8}$/);
  });

  it('success: different deployments of the same commit get different names', () => {
    expect(executionNameFor('web', SHA, 'd-1')).not.toBe(executionNameFor('web', SHA, 'd-2'));
  });
});
