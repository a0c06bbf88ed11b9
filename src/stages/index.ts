/**
 * Entry points the state machine's Lambdas call for ECS stages, ANALYSIS and rollback. WAIT and
 * WAIT_APPROVAL are run by the ASL and the approval Lambdas, not here.
 */
import { InvalidStateError } from '../errors.js';
import type { StageKind } from '../domain/stage-kinds.js';
import type { CheckResult, StageInput, StartResult } from './types.js';
import type { StagePorts } from './ports.js';
import type { StageExecutor } from './executor.js';
import { ecsSync } from './ecs-sync.js';
import { canaryRollout } from './canary-rollout.js';
import { primaryRollout } from './primary-rollout.js';
import { trafficRouting } from './traffic-routing.js';
import { canaryClean } from './canary-clean.js';
import { analysis } from './analysis.js';
import { runTask } from './run-task.js';

export { rollbackStep } from './rollback.js';
export type * from './ports.js';
export type * from './types.js';

const EXECUTORS: Partial<Record<StageKind, StageExecutor>> = {
  ECS_SYNC: ecsSync,
  ECS_CANARY_ROLLOUT: canaryRollout,
  ECS_PRIMARY_ROLLOUT: primaryRollout,
  ECS_TRAFFIC_ROUTING: trafficRouting,
  ECS_CANARY_CLEAN: canaryClean,
  ANALYSIS: analysis,
  ECS_RUN_TASK: runTask,
};

function executorFor(input: StageInput): StageExecutor {
  const executor = EXECUTORS[input.stage.name];
  if (!executor) throw new InvalidStateError(`stage ${input.stage.name} is not run by the stage Lambda`);
  return executor;
}

export function startStage(input: StageInput, ports: StagePorts): Promise<StartResult> {
  return executorFor(input).start(input, withStageLog(input, ports));
}

export function checkStage(input: StageInput, ports: StagePorts): Promise<CheckResult> {
  return executorFor(input).check(input, withStageLog(input, ports));
}

/** Every log line names the deployment and stage, so a rule ARN change can be traced to its cause. */
function withStageLog(input: StageInput, ports: StagePorts): StagePorts {
  const keys = { deploymentId: input.plan.deploymentId, app: input.plan.app.name, stage: `${input.stage.index}:${input.stage.name}` };
  return { ...ports, log: (message, fields) => ports.log(message, { ...keys, ...fields }) };
}
