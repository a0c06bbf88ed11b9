import { describe, expect, it } from 'vitest';
import { chooseStrategy } from '../../src/plan/index.js';

describe('chooseStrategy', () => {
  it.each([
    ['success: no pipeline quick-syncs', { hasPipeline: false, serviceExists: true, alwaysUsePipeline: false }, 'QUICK_SYNC'],
    ['success: no pipeline quick-syncs even with alwaysUsePipeline', { hasPipeline: false, serviceExists: false, alwaysUsePipeline: true }, 'QUICK_SYNC'],
    ['success: a first deployment quick-syncs', { hasPipeline: true, serviceExists: false, alwaysUsePipeline: false }, 'QUICK_SYNC'],
    ['success: a first deployment runs the pipeline with alwaysUsePipeline', { hasPipeline: true, serviceExists: false, alwaysUsePipeline: true }, 'PIPELINE'],
    ['success: an existing service runs the pipeline', { hasPipeline: true, serviceExists: true, alwaysUsePipeline: false }, 'PIPELINE'],
  ] as const)('%s', (_name, input, expected) => {
    expect(chooseStrategy(input)).toBe(expected);
  });
});
