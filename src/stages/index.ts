/**
 * Entry points the state machine's Lambdas call for ECS stages, ANALYSIS and rollback. WAIT and
 * WAIT_APPROVAL are run by the ASL and the approval Lambdas, not here.
 */
import { InvalidStateError } from '../errors.js';
import type { StageKind } from '../domain/stage-kinds.js';
import type { CheckResult, StageInput, StartResult } from './types.js';
import type { StagePorts } from './ports.js';
import type { StageExecutor, StageInputOf } from './executor.js';
import { ecsSync } from './ecs-sync.js';
import { canaryRollout } from './canary-rollout.js';
import { primaryRollout } from './primary-rollout.js';
import { trafficRouting } from './traffic-routing.js';
import { canaryClean } from './canary-clean.js';
import { analysis } from './analysis.js';
import { runTask } from './run-task.js';

export { rollbackStep } from './rollback.js';
export { restoreTraffic } from './restore-traffic.js';
export type * from './ports.js';
export type * from './types.js';

/** The stage kinds the stage Lambda runs, each with its executor: the one place a stage's kind is checked. */
const EXECUTORS = {
  ECS_SYNC: ecsSync,
  ECS_CANARY_ROLLOUT: canaryRollout,
  ECS_PRIMARY_ROLLOUT: primaryRollout,
  ECS_TRAFFIC_ROUTING: trafficRouting,
  ECS_CANARY_CLEAN: canaryClean,
  ANALYSIS: analysis,
  ECS_RUN_TASK: runTask,
} satisfies { [K in StageKind]?: StageExecutor<K> };

type ExecutedKind = keyof typeof EXECUTORS;

function isExecuted(input: StageInput): input is StageInputOf<ExecutedKind> {
  return Object.hasOwn(EXECUTORS, input.stage.name);
}

function executorFor(input: StageInput): { executor: StageExecutor<ExecutedKind>; input: StageInputOf<ExecutedKind> } {
  if (!isExecuted(input)) throw new InvalidStateError(`stage ${input.stage.name} is not run by the stage Lambda`);
  // The table pairs each kind with its own executor, so the one looked up by this input's kind takes it.
  return { executor: EXECUTORS[input.stage.name] as StageExecutor<ExecutedKind>, input };
}

export function startStage(input: StageInput, ports: StagePorts): Promise<StartResult> {
  const found = executorFor(input);
  return found.executor.start(found.input, withStageLog(input, ports));
}

export function checkStage(input: StageInput, ports: StagePorts): Promise<CheckResult> {
  const found = executorFor(input);
  return found.executor.check(found.input, withStageLog(input, ports));
}

/** Every log line names the deployment and stage, so a rule ARN change can be traced to its cause. */
function withStageLog(input: StageInput, ports: StagePorts): StagePorts {
  const keys = { deploymentId: input.plan.deploymentId, app: input.plan.app.name, stage: `${input.stage.index}:${input.stage.name}` };
  return { ...ports, log: (message, fields) => ports.log(message, { ...keys, ...fields }) };
}
