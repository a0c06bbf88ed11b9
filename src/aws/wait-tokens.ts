import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { wrapAwsError } from '../errors.js';
import type { WaitTokenPort } from '../stability/ports.js';

/**
 * What SFN answers for a token nobody waits on any more: it timed out (the backstop slice ended),
 * was settled by a racing event or cancel, or its execution stopped. For a stage wait each means
 * "already handled". Any other error (throttling, access) throws so the caller is retried.
 */
const CLOSED_TOKEN_ERRORS = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

export class SfnWaitTokens implements WaitTokenPort {
  constructor(private readonly client: SFNClient) {}

  resume(taskToken: string, output: unknown): Promise<boolean> {
    return this.send('resuming a stage wait', () => this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output ?? {}) })));
  }

  fail(taskToken: string, error: string, cause: string): Promise<boolean> {
    return this.send(`failing a stage wait with ${error}`, () =>
      this.client.send(new SendTaskFailureCommand({ taskToken, error, cause: cause.slice(0, 32_768) })),
    );
  }

  private async send(doing: string, call: () => Promise<unknown>): Promise<boolean> {
    try {
      await call();
      return true;
    } catch (err) {
      if (CLOSED_TOKEN_ERRORS.has((err as { name?: string })?.name ?? '')) return false;
      // The token is never part of the message: it is a credential to resume the execution.
      throw wrapAwsError(doing, err);
    }
  }
}
