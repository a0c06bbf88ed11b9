import type { PlannedStage } from '../domain/plan.js';
import { StageKind } from '../domain/stage-kinds.js';
import { DEFAULT_RUN_TASK_TIMEOUT_SECONDS, DEFAULT_STABLE_TIMEOUT_SECONDS } from '../manifest/stages.js';

export type Strategy = 'QUICK_SYNC' | 'PIPELINE';

export interface StrategyInput {
  hasPipeline: boolean;
  serviceExists: boolean;
  alwaysUsePipeline: boolean;
}

/**
 * PipeCD's rule: quick sync when there is no pipeline, or for the first deployment (no service yet:
 * there is nothing to canary against) unless the app insists on its pipeline.
 */
export function chooseStrategy({ hasPipeline, serviceExists, alwaysUsePipeline }: StrategyInput): Strategy {
  if (!hasPipeline) return 'QUICK_SYNC';
  if (!serviceExists && !alwaysUsePipeline) return 'QUICK_SYNC';
  return 'PIPELINE';
}

/** The one stage of a quick sync: for a standalone task app, running the task once (there is no service to sync). */
export function quickSyncStages(standalone = false): PlannedStage[] {
  if (standalone)
    return [{ index: 0, name: StageKind.ECS_RUN_TASK, desc: 'Run the standalone task', with: { timeoutSeconds: DEFAULT_RUN_TASK_TIMEOUT_SECONDS } }];
  return [{ index: 0, name: StageKind.ECS_SYNC, desc: 'Quick sync', with: { stableTimeoutSeconds: DEFAULT_STABLE_TIMEOUT_SECONDS } }];
}
