import type { PlannedStage } from '../domain/plan.js';
import type { StageKind } from '../domain/stage-kinds.js';
import type { CheckResult, StageInput, StartResult } from './types.js';
import type { StagePorts } from './ports.js';

/** The planned stage of one kind, with its typed `with`. */
export type StageOfKind<K extends StageKind> = Extract<PlannedStage, { name: K }>;

/** A stage input whose stage the registry has already checked to be of kind K. */
export type StageInputOf<K extends StageKind> = StageInput & { stage: StageOfKind<K> };

/** One stage kind: `start` mutates (idempotently), `check` reads the world and may finish the stage. */
export interface StageExecutor<K extends StageKind> {
  start(input: StageInputOf<K>, ports: StagePorts): Promise<StartResult>;
  check(input: StageInputOf<K>, ports: StagePorts): Promise<CheckResult>;
}

/** For stages that finish inside start: check only confirms. */
export function doneAlready(input: StageInput): Promise<CheckResult> {
  return Promise.resolve({ status: 'done', state: input.state });
}
