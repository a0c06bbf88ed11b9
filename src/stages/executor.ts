import type { CheckResult, StageInput, StartResult } from './types.js';
import type { StagePorts } from './ports.js';
import { assessTaskSet, type Stability } from './stability.js';
import type { DeploymentPlan, PlannedStage } from '../domain/plan.js';

/** One stage kind: `start` mutates (idempotently), `check` reads the world and may finish the stage. */
export interface StageExecutor {
  start(input: StageInput, ports: StagePorts): Promise<StartResult>;
  check(input: StageInput, ports: StagePorts): Promise<CheckResult>;
}

/** Waits on one task set: its stability, judged from the set and its stopped tasks. */
export async function taskSetStability(
  plan: DeploymentPlan,
  ports: StagePorts,
  taskSetId: string,
  startedAt: string,
  stableTimeoutSeconds: number,
): Promise<Stability> {
  const { cluster, serviceName } = plan.serviceDefinition;
  const taskSet = await ports.ecs.describeTaskSet(cluster, serviceName, taskSetId);
  // Stopped tasks matter only while the set is not yet steady; skip the call otherwise.
  const stopped = taskSet && taskSet.stabilityStatus !== 'STEADY_STATE' ? await ports.ecs.stoppedTasksOf(cluster, taskSetId) : [];
  return assessTaskSet(taskSet, stopped, Date.parse(startedAt), ports.now(), stableTimeoutSeconds);
}

/** The stage's stable timeout; stages without one never wait. */
export function stableTimeoutOf(stage: PlannedStage): number {
  return 'stableTimeoutSeconds' in stage.with ? stage.with.stableTimeoutSeconds : 0;
}

/** For stages that finish inside start: check only confirms. */
export function doneAlready(input: StageInput): Promise<CheckResult> {
  return Promise.resolve({ status: 'done', state: input.state });
}
