import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { WaitTokenPort } from '../stability/ports.js';
import { sendTaskResult } from './sfn.js';

/**
 * What SFN answers for a token nobody waits on any more: it timed out (the backstop slice ended),
 * was settled by a racing event or cancel, or its execution stopped. For a stage wait each means
 * "already handled"; InvalidToken too, since these tokens come from our own table (an execution of a
 * state machine since replaced). Any other error (throttling, access) throws so the caller is retried.
 */
const CLOSED_TOKEN_ERRORS: ReadonlySet<string> = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

export class SfnWaitTokens implements WaitTokenPort {
  constructor(private readonly client: SFNClient) {}

  resume(taskToken: string, output: unknown): Promise<boolean> {
    return sendTaskResult(
      'resuming a stored wait',
      () => this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output ?? {}) })),
      CLOSED_TOKEN_ERRORS,
    );
  }

  fail(taskToken: string, error: string, cause: string): Promise<boolean> {
    return sendTaskResult(
      `failing a stored wait with ${error}`,
      () => this.client.send(new SendTaskFailureCommand({ taskToken, error, cause: cause.slice(0, 32_768) })),
      CLOSED_TOKEN_ERRORS,
    );
  }
}
