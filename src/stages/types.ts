import type { DeploymentPlan, PlannedStage } from '../domain/plan.js';
import type { DeploymentState, LastGood } from '../domain/deployment.js';
import type { StepcdError } from '../errors.js';

/**
 * The contract between the state machine's Lambda tasks and the stage executors.
 * A stage is split into `start` (does the mutation, idempotently) and `check` (reads the world and
 * says done / pending / failed), so the ASL can loop Wait → check → Choice without sleeping Lambdas.
 */
export interface StageInput {
  plan: DeploymentPlan;
  stage: PlannedStage;
  state: DeploymentState;
  /** The app's last good deployment, from app state; absent on a first deployment. */
  lastGood?: LastGood;
  /** When `start` began (ISO); `check` fails with StableTimeout past `stableTimeoutSeconds` from here. */
  startedAt: string;
}

export interface StartResult {
  state: DeploymentState;
  /** false when the stage finished inside start (e.g. traffic routing) and needs no check loop. */
  needsCheck: boolean;
  detail?: string;
}

export type CheckResult =
  | { status: 'done'; state: DeploymentState; detail?: string }
  | { status: 'pending'; state: DeploymentState; detail?: string }
  /** The typed error the stage failed with; the stage Lambda throws it, so its name reaches the ASL. */
  | { status: 'failed'; state: DeploymentState; error: StepcdError };

/** Rollback input: everything this deployment did, plus what to go back to. */
export interface RollbackInput {
  plan: DeploymentPlan;
  state: DeploymentState;
  lastGood?: LastGood;
  startedAt: string;
}

export interface RollbackResult {
  state: DeploymentState;
  /** true once traffic is 100% on the last good version (or nothing was ever served) and only it remains. */
  done: boolean;
  /** One line for the record, e.g. "first deployment: removed service web and 1 task set". */
  summary: string;
}
