import type { PlannedStage } from '../domain/plan.js';
import { StageKind } from '../domain/stage-kinds.js';
import { CancelledError, DeploymentTimeoutError } from '../errors.js';
import { advance } from './advance.js';
import { complete } from './complete.js';
import type { StepDeps } from './deps.js';
import type { Cursor, ExecutionData } from './execution-data.js';

/**
 * The states the ASL's Route choice (`$.route`) and AfterWait choice (`$.cursor.then`) lead to. A task
 * that finishes a stage also advances to the next one and names it here, so there is no Advance task
 * (and no Lambda invocation) between stages: the state machine goes task → Route → task.
 */
export type Route = StageKind | 'WaitStable' | 'Advance' | 'Complete' | 'Succeeded' | 'RollbackBegin';

/** The waits: their task's result is the token's answer, so the task after them closes them. */
const WAITS: readonly string[] = [StageKind.WAIT, StageKind.WAIT_APPROVAL];

/** Stage kinds whose task is the stage function's `start`, which can close a wait that ended before it. */
const CLOSES_A_WAIT: readonly string[] = Object.values(StageKind).filter((k) => !WAITS.includes(k));

function isWait(cursor: Cursor): boolean {
  return cursor.stage !== undefined && WAITS.includes(cursor.stage.name);
}

/**
 * Advance (close the stage in the cursor, check cancel and spec.timeout, open the next), then name the
 * next state. With `completes`, a deployment whose last stage just closed is completed here too.
 *
 * A cancel or the deployment timeout found here belongs to the deployment, not to the stage that just
 * ran: it is routed to RollbackBegin with the data this task produced (the task sets and the traffic
 * snapshot it recorded), as the ASL's Catch would, but without losing them. Any other error is thrown
 * for the ASL to retry the whole task, whose steps are idempotent.
 */
export async function advanceAndRoute(data: ExecutionData, deps: StepDeps, opts: { completes?: boolean } = {}): Promise<ExecutionData> {
  let next: ExecutionData;
  try {
    next = await advance(data, deps);
  } catch (err) {
    if (err instanceof CancelledError || err instanceof DeploymentTimeoutError) return { ...data, route: 'RollbackBegin', error: caught(err) };
    throw err;
  }
  const { cursor } = next;
  if (cursor.done)
    return opts.completes && (await stillRunning(next, deps)) ? { ...(await complete(next, deps)), route: 'Succeeded' } : { ...next, route: 'Complete' };
  const stage = cursor.stage?.name as StageKind;
  if (!WAITS.includes(stage)) return { ...next, route: stage };
  return { ...next, route: stage, cursor: { ...cursor, then: thenAfter(next) } };
}

/** The stage a `start` runs: the cursor's, or the one after the wait it closes first. */
export function stageToStart(data: Pick<ExecutionData, 'plan' | 'cursor'>): PlannedStage | undefined {
  return isWait(data.cursor) ? data.plan.stages[data.cursor.index + 1] : data.cursor.stage;
}

/** A stage task or Complete that follows a wait: closes the wait first (the Advance it replaces). */
export async function closeEndedWait(data: ExecutionData, deps: StepDeps): Promise<ExecutionData> {
  return isWait(data.cursor) ? advance(data, deps) : data;
}

/**
 * A StopExecution does not stop a Lambda already invoked: the last stage's task may still be running
 * when the execution is ABORTED, and must then leave the record to the finaliser, as the Complete task
 * it replaces would never have run. (The answer is discarded: the execution is over.)
 */
async function stillRunning(data: ExecutionData, deps: StepDeps): Promise<boolean> {
  if (!data.executionArn) return true;
  const execution = await deps.workflow.describeExecution(data.executionArn);
  return execution === undefined || execution.status === 'RUNNING';
}

function thenAfter(data: ExecutionData): Route {
  const after = data.plan.stages[data.cursor.index + 1];
  if (!after) return 'Complete';
  return CLOSES_A_WAIT.includes(after.name) ? (after.name as StageKind) : 'Advance';
}

/** The shape the ASL's Catch writes to `$.error` for a Lambda error, so RollbackBegin reads both alike. */
function caught(err: Error): { Error: string; Cause: string } {
  return { Error: err.name, Cause: JSON.stringify({ errorType: err.name, errorMessage: err.message }) };
}
