import type { EmulatorTimings } from '../src/local/ecs-elbv2/index.js';
import { measurePipeline, type PipelineFigures } from './pipeline-cost.js';
import { exampleFiles } from '../test/support/examples.js';
import { startBenchStack } from './support/bench-stack.js';

/**
 * How long ECS takes in the emulator for these runs: closer to Fargate than the emulator's defaults
 * (5 s to start, healthy 10 s later), so the stabilise loop goes round as it would on AWS and the
 * "including poll loops" figure means something. Waits are still shortened to a few real ms each.
 */
export const FARGATE_LIKE_TIMINGS: Partial<EmulatorTimings> = { taskStartMs: 40_000, healthyAfterMs: 30_000 };

export interface PipelinesFigures {
  emulatorTimings: Partial<EmulatorTimings>;
  canary: PipelineFigures;
  quickSync: PipelineFigures;
  blueGreen: PipelineFigures;
}

/** Which example app exercises which strategy (examples/apps; see examples/README.md). */
export const PIPELINE_APPS = { quickSync: 'simple', canary: 'canary', blueGreen: 'bluegreen' } as const;

/**
 * One local stack; the three example apps are deployed once (quick sync, a first deployment), then
 * each gets an image bump measured on its own, one after the other, with auto-approval.
 */
export async function measurePipelines(opts: { memoryMb: Record<string, number> }): Promise<PipelinesFigures> {
  const bench = await startBenchStack({ timings: FARGATE_LIKE_TIMINGS });
  try {
    bench.autoApprove();
    const apps = Object.values(PIPELINE_APPS);
    const first = await bench.push(await exampleFiles([...apps]), 'add the example apps');
    for (const app of first.body.apps ?? []) {
      if (!app.executionArn) throw new Error(`first deployment of ${app.app} did not start: ${app.status}`);
      const run = await bench.stack.cloud.sfn.waitForExecution(app.executionArn, { timeoutMs: 60_000 });
      if (run.status !== 'SUCCEEDED') throw new Error(`first deployment of ${app.app} ended ${run.status}: ${run.error ?? ''} ${run.cause ?? ''}`);
    }
    const quickSync = await measurePipeline(bench, { app: PIPELINE_APPS.quickSync, tag: '1.1.0', memoryMb: opts.memoryMb });
    const canary = await measurePipeline(bench, { app: PIPELINE_APPS.canary, tag: '1.1.0', memoryMb: opts.memoryMb });
    const blueGreen = await measurePipeline(bench, { app: PIPELINE_APPS.blueGreen, tag: '1.1.0', memoryMb: opts.memoryMb });
    return { emulatorTimings: FARGATE_LIKE_TIMINGS, canary, quickSync, blueGreen };
  } finally {
    await bench.stop();
  }
}
