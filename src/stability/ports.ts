import type { StageWaitStore } from '../history/stage-wait-store.js';
import type { StagePorts } from '../stages/ports.js';

/**
 * Settles a task token stepcd stored (a stage's wait, a queued deployment's). `false` means the token
 * was already closed (it timed out, was settled by a racing event, check or cancel, or its execution
 * ended, or it names an execution of a state machine since replaced): handled, not an error.
 */
export interface WaitTokenPort {
  resume(taskToken: string, output: unknown): Promise<boolean>;
  fail(taskToken: string, error: string, cause: string): Promise<boolean>;
}

/** What a stability or ANALYSIS wait needs: reads of ECS and CloudWatch, the wait items, the tokens. */
export interface StabilityDeps {
  ports: Pick<StagePorts, 'ecs' | 'alarms' | 'now' | 'log'>;
  waits: StageWaitStore;
  tokens: WaitTokenPort;
}
