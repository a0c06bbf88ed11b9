import { describe, expect, it } from 'vitest';
import { isAppConfigPath, resolveInApp } from '../../src/manifest/index.js';

describe('isAppConfigPath', () => {
  it.each([
    ['success: app.pipecd.yaml at the root', 'app.pipecd.yaml', true],
    ['success: app.pipecd.yaml in a directory', 'apps/web/app.pipecd.yaml', true],
    ['success: a named *.pipecd.yaml', 'apps/web/api.pipecd.yaml', true],
    ['fail: a hidden .pipecd.yaml with no name', 'apps/.pipecd.yaml', false],
    ['fail: .yml', 'apps/app.pipecd.yml', false],
    ['fail: a service definition', 'apps/web/servicedef.yaml', false],
    ['fail: pipecd.yaml without a name', 'pipecd.yaml', false],
  ])('%s', (_name, path, expected) => {
    expect(isAppConfigPath(path)).toBe(expected);
  });
});

describe('resolveInApp', () => {
  it.each([
    ['success: a sibling file', 'apps/web', 'servicedef.yaml', 'apps/web/servicedef.yaml'],
    ['success: dot segments', 'apps/web', './defs/../taskdef.json', 'apps/web/taskdef.json'],
    ['success: a shared file one level up', 'apps/web', '../shared/taskdef.json', 'apps/shared/taskdef.json'],
    ['success: the root app', '', 'taskdef.json', 'taskdef.json'],
    ['fail: escapes the repository', 'apps', '../../x', undefined],
    ['fail: absolute', 'apps', '/etc/passwd', undefined],
  ])('%s', (_name, dir, file, expected) => {
    expect(resolveInApp(dir, file)).toBe(expected);
  });
});
