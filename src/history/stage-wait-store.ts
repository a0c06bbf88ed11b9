import type { StageWait } from '../domain/stage-wait.js';

/**
 * Port over the stage waits: the task token of a stage waiting for stability or an ANALYSIS window,
 * found by what it waits for (an event names a service, a task or an alarm) and by deployment (cancel).
 */
export interface StageWaitStore {
  /** Opens (or, for a later attempt of the same deployment, replaces) the deployment's wait; never an older one over a newer. */
  openWait(wait: StageWait): Promise<void>;
  /** The open waits an event with this key may wake (see domain/stage-wait.ts for keys). */
  waitsOn(key: string): Promise<StageWait[]>;
  /** The deployment's open wait, if any. */
  currentWait(deploymentId: string): Promise<StageWait | undefined>;
  /** Closes the wait holding this token; false if it was already closed or replaced (someone else acted). */
  closeWait(wait: StageWait): Promise<boolean>;
}
