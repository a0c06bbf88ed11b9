import { InvalidStateError } from '../errors.js';
import { begin } from './begin.js';
import { complete } from './complete.js';
import type { OrchestratorDeps } from './deps.js';
import type { ExecutionData } from './execution-data.js';
import { finishFailed } from './finish.js';
import { parkInQueue } from './hand-off.js';
import { rollbackBegin } from './rollback-begin.js';
import { advanceAndRoute, closeEndedWait } from './route.js';

export interface OrchestrateEvent {
  action: 'begin' | 'enqueue' | 'advance' | 'complete' | 'rollback-begin' | 'finish';
  data: ExecutionData;
  executionArn?: string;
  /** `enqueue` (the Queued state's callback task): the token the execution waits on. */
  taskToken?: string;
}

/** The orchestrate Lambda's one entry: the ASL names the step in `action`. */
export async function orchestrate(event: OrchestrateEvent, deps: OrchestratorDeps): Promise<ExecutionData> {
  switch (event.action) {
    case 'begin':
      return begin(event.data, deps, event.executionArn);
    case 'enqueue':
      if (!event.taskToken) throw new InvalidStateError('enqueue needs the task token of the Queued state');
      await parkInQueue(event.data, event.taskToken, deps);
      return event.data;
    case 'advance':
      // Only between two waits: every other stage's own task advances.
      return advanceAndRoute(event.data, deps);
    case 'complete':
      // After a WAIT or WAIT_APPROVAL that was the last stage (otherwise the last stage's task completes).
      return complete(await closeEndedWait(event.data, deps), deps);
    case 'rollback-begin':
      return rollbackBegin(event.data, deps);
    case 'finish':
      return finishFailed(event.data, deps);
    default:
      throw new InvalidStateError(`unknown orchestration action "${String((event as { action: unknown }).action)}"`);
  }
}
