import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from './support/package-offline.js';
import { CFN_TAGS } from '../../src/local/serverless-rules.js';

// semver ships no types; these two functions are all this check needs.
const semver = createRequire(import.meta.url)('semver') as {
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { version: string; major: number } | null;
};

const read = (file: string) => readFileSync(join(REPO_ROOT, file), 'utf8');

describe('Node version: one answer everywhere', () => {
  const engines = (JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node;
  const minimum = semver.minVersion(engines);

  it('deploys on the Lambda runtime the engines field names, and bundles for it', () => {
    const yml = parse(read('serverless.yml'), { customTags: CFN_TAGS }) as { provider: { runtime: string }; custom: { esbuild: { target: string } } };
    expect(minimum?.major).toBeDefined();
    expect(yml.provider.runtime).toBe(`nodejs${minimum?.major}.x`);
    expect(yml.custom.esbuild.target).toBe(`node${minimum?.major}`);
  });

  it('asks no more of Node than every installed runtime dependency declares it needs', () => {
    const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, { engines?: { node?: string } | string[]; dev?: boolean }> };
    const unmet = Object.entries(lock.packages)
      .filter(([path, p]) => path !== '' && !p.dev && p.engines && !Array.isArray(p.engines) && p.engines.node)
      .filter(([, p]) => !semver.satisfies(minimum?.version ?? '0.0.0', (p.engines as { node: string }).node))
      .map(([path, p]) => `${path.replace(/^node_modules\//, '')} needs node ${(p.engines as { node: string }).node}`);
    expect(unmet, `engines.node ${engines} allows a Node these cannot run on`).toEqual([]);
  });

  it('states the same requirement in the README and docs/deploy.md', () => {
    expect(read('README.md')).toContain(`Node.js ${minimum?.major} or newer`);
    expect(read('docs/deploy.md')).toContain(`Node.js ${minimum?.major} or newer`);
  });
});
