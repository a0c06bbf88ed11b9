import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/manifest/issues.js';
import { loadApp } from '../../src/manifest/index.js';
import { canaryApp, filesOf, type AppFixture } from './fixtures.js';

async function errorsOf(mutate: (app: AppFixture) => void): Promise<string[]> {
  const app = canaryApp();
  mutate(app);
  const result = await loadApp(filesOf(app), 'app.pipecd.yaml');
  if (result.ok) return [];
  return result.issues.filter((i) => i.severity === 'error').map(formatIssue);
}

describe('loadApp: one mistake, one message', () => {
  it('fail: a target group with a broken field is not also reported missing', async () => {
    const errors = await errorsOf((app) => {
      (app.config.spec.input.targetGroups.canary as Record<string, unknown>).targetGroupArn = 'canary-canary';
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^app\.pipecd\.yaml: spec\.input\.targetGroups\.canary\.targetGroupArn /);
  });

  it('fail: a container with a broken field still counts as a container for the target groups', async () => {
    const errors = await errorsOf((app) => {
      const containers = (app.task as { containerDefinitions: Record<string, unknown>[] }).containerDefinitions;
      delete containers[0]!.image;
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^taskdef\.yaml: containerDefinitions\[0\]\.image /);
  });
});
