import { describe, expect, it } from 'vitest';
import { verifyApp } from '../../src/manifest/index.js';
import { canaryApp, filesOf, memoryFiles } from './fixtures.js';

const statuses = (rows: { check: string; status: string }[]) => Object.fromEntries(rows.map((r) => [r.check, r.status]));

describe('verifyApp', () => {
  it('marks the failing check NG with its messages and leaves the others OK', async () => {
    const app = canaryApp();
    app.service.deploymentController = { type: 'ECS' };
    const rows = await verifyApp(filesOf(app), 'app.pipecd.yaml');
    expect(statuses(rows)).toEqual({
      'app config': 'OK',
      'service definition': 'NG',
      'task definition': 'OK',
      'image policy': 'OK',
      'target groups': 'OK',
      pipeline: 'OK',
    });
    expect(rows.find((r) => r.check === 'service definition')?.detail).toBe('servicedef.yaml: deploymentController.type must be EXTERNAL');
  });

  it('skips the checks that need a file that is missing', async () => {
    const app = canaryApp();
    const files = memoryFiles({ 'app.pipecd.yaml': app.config, 'servicedef.yaml': app.service });
    const rows = await verifyApp(files, 'app.pipecd.yaml');
    expect(statuses(rows)).toMatchObject({ 'task definition': 'NG', 'image policy': 'SKIP', 'service definition': 'OK' });
    expect(rows.find((r) => r.check === 'image policy')?.detail).toBe('the task definition could not be read');
  });

  it('reports WARN for ignored PipeCD features and names the app', async () => {
    const app = canaryApp();
    app.config.spec.eventWatcher = [];
    const rows = await verifyApp(filesOf(app), 'app.pipecd.yaml');
    expect(rows.find((r) => r.check === 'app config')).toEqual({
      app: 'web',
      check: 'app config',
      status: 'WARN',
      detail: 'app.pipecd.yaml: spec.eventWatcher is a PipeCD feature stepcd ignores',
      issues: [
        {
          file: 'app.pipecd.yaml',
          path: 'spec.eventWatcher',
          line: expect.any(Number),
          column: 3,
          message: 'is a PipeCD feature stepcd ignores',
          severity: 'warning',
        },
      ],
    });
  });

  it('names the app by its config path and skips everything else when the config is unreadable', async () => {
    const rows = await verifyApp(memoryFiles({ 'a/app.pipecd.yaml': 'kind: [' }), 'a/app.pipecd.yaml');
    expect(rows[0]).toMatchObject({ app: 'a/app.pipecd.yaml', check: 'app config', status: 'NG' });
    expect(rows.slice(1).map((r) => r.status)).toEqual(['SKIP', 'SKIP', 'SKIP', 'SKIP', 'SKIP']);
  });
});
