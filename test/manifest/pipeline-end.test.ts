import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../src/manifest/issues.js';
import { loadApp } from '../../src/manifest/index.js';
import { canaryApp, filesOf } from './fixtures.js';

async function warningsOf(stages: unknown[]): Promise<string[]> {
  const app = canaryApp();
  (app.config.spec as { pipeline: { stages: unknown[] } }).pipeline.stages = stages;
  const result = await loadApp(filesOf(app), 'app.pipecd.yaml');
  expect(result.ok).toBe(true);
  return result.ok ? result.warnings.map(formatIssue) : [];
}

describe('loadApp: a pipeline that leaves its canary behind', () => {
  it('warns when the canary is never cleaned and still holds traffic at the end', async () => {
    const warnings = await warningsOf([
      { name: 'ECS_CANARY_ROLLOUT', with: { scale: 30 } },
      { name: 'ECS_TRAFFIC_ROUTING', with: { canary: 20 } },
    ]);

    expect(warnings).toEqual([
      'app.pipecd.yaml: spec.pipeline.stages creates a canary but never runs ECS_CANARY_CLEAN after it: the canary task set keeps running until a later deployment cleans it',
      'app.pipecd.yaml: spec.pipeline.stages[1].with leaves 20% of traffic on the canary when the pipeline ends',
    ]);
  });

  it('says nothing when the pipeline cleans its canary', async () => {
    const warnings = await warningsOf([
      { name: 'ECS_CANARY_ROLLOUT', with: { scale: 30 } },
      { name: 'ECS_TRAFFIC_ROUTING', with: { canary: 20 } },
      { name: 'ECS_PRIMARY_ROLLOUT' },
      { name: 'ECS_TRAFFIC_ROUTING', with: { primary: 100 } },
      { name: 'ECS_CANARY_CLEAN' },
    ]);

    expect(warnings).toEqual([]);
  });
});
