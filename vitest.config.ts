import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Under CI, also a JSON report, from which .ci/run prints a plain "N passed, N failed" line.
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.ci/results.json' }]] : ['default'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Handlers log through powertools, which reads its own level; tests assert on records, not logs.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' },
    // One call log per run: every local stack's AWS requests, by caller (test/iam/global-setup.ts).
    globalSetup: ['test/iam/global-setup.ts'],
    // test/iam simulates what the rest of the run recorded, so it runs after everything else.
    projects: [
      { extends: true, test: { name: 'suite', include: ['test/**/*.test.ts'], exclude: ['test/iam/**'], sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'iam', include: ['test/iam/**/*.test.ts'], sequence: { groupOrder: 1 } } },
    ],
  },
});
