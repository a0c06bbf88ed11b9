import type { WaitTokenPort } from '../stability/ports.js';
import { sendTaskResult, type SfnClient } from './sfn.js';

/**
 * What SFN answers for a token nobody waits on any more: it timed out (the backstop slice ended),
 * was settled by a racing event or cancel, or its execution stopped. For a stage wait each means
 * "already handled"; InvalidToken too, since these tokens come from our own table (an execution of a
 * state machine since replaced). Any other error (throttling, access) throws so the caller is retried.
 */
const CLOSED_TOKEN_ERRORS: ReadonlySet<string> = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

export class SfnWaitTokens implements WaitTokenPort {
  constructor(private readonly client: SfnClient) {}

  resume(taskToken: string, output: unknown): Promise<boolean> {
    return sendTaskResult(
      () => this.client.send('SendTaskSuccess', { taskToken, output: JSON.stringify(output ?? {}) }, 'resuming a stored wait'),
      CLOSED_TOKEN_ERRORS,
    );
  }

  fail(taskToken: string, error: string, cause: string): Promise<boolean> {
    return sendTaskResult(
      () => this.client.send('SendTaskFailure', { taskToken, error, cause: cause.slice(0, 32_768) }, `failing a stored wait with ${error}`),
      CLOSED_TOKEN_ERRORS,
    );
  }
}
