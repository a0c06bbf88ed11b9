import { randomBytes } from 'node:crypto';
import { SfnApiError, StateError } from './errors.js';

export interface OpenTokenInfo {
  token: string;
  executionArn: string;
  stateName: string;
  /** Epoch ms (the cloud's clock) when the task started waiting. */
  openedAt: number;
}

interface TokenEntry extends OpenTokenInfo {
  open: boolean;
  resolve(output: unknown): void;
  reject(error: StateError): void;
  timer?: NodeJS.Timeout;
}

const PREFIX = 'stepcd-local-token:';

/**
 * Task tokens of `.waitForTaskToken` tasks, once-only as in AWS: a token can be settled exactly once;
 * after that, or after its task timed out or its execution stopped, it answers TaskTimedOut ("Provided
 * task does not exist anymore"); a token this registry never issued is InvalidToken.
 */
export class TaskTokens {
  private readonly entries = new Map<string, TokenEntry>();

  constructor(private readonly now: () => number) {}

  mint(): string {
    return PREFIX + randomBytes(36).toString('base64url');
  }

  /**
   * Starts waiting on a minted token. The promise settles with SendTaskSuccess's output or rejects
   * with SendTaskFailure's error. After `timeoutMs` the token is closed and the task fails with
   * States.Timeout. The interpreter's own timer cannot be relied on for this: a TimeoutSecondsPath
   * task is given a huge fixed TimeoutSeconds there (see definition.ts), so only this timer knows.
   */
  open(token: string, at: { executionArn: string; stateName: string; timeoutMs?: number }): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => {
      const entry: TokenEntry = { token, executionArn: at.executionArn, stateName: at.stateName, openedAt: this.now(), open: true, resolve, reject };
      if (at.timeoutMs !== undefined) {
        entry.timer = setTimeout(() => {
          this.close(entry);
          entry.reject(new StateError('States.Timeout', 'The task did not receive SendTaskSuccess or SendTaskFailure before its TimeoutSeconds'));
        }, at.timeoutMs);
        entry.timer.unref();
      }
      this.entries.set(token, entry);
    });
  }

  succeed(token: string, output: unknown): void {
    const entry = this.take(token);
    entry.resolve(output);
  }

  fail(token: string, error: string, cause: string): void {
    const entry = this.take(token);
    entry.reject(new StateError(error, cause));
  }

  /** Heartbeats are accepted for open tokens; HeartbeatSeconds is not enforced locally. */
  heartbeat(token: string): void {
    this.lookup(token);
  }

  /** Times an open token out now (a TimeoutSeconds kept on the cloud's clock): the task fails with States.Timeout. */
  expire(token: string): void {
    const entry = this.entries.get(token);
    if (!entry?.open) return;
    this.close(entry);
    entry.reject(new StateError('States.Timeout', 'The task did not receive SendTaskSuccess or SendTaskFailure before its TimeoutSeconds'));
  }

  /** Closes a token without settling it, e.g. when the callback Lambda itself failed. */
  discard(token: string): void {
    const entry = this.entries.get(token);
    if (entry) this.close(entry);
  }

  /** Closes every open token of a stopped execution, failing its waiting tasks with `reason`. */
  closeExecution(executionArn: string, reason: StateError): void {
    for (const entry of this.entries.values()) {
      if (entry.open && entry.executionArn === executionArn) {
        this.close(entry);
        entry.reject(reason);
      }
    }
  }

  listOpen(): OpenTokenInfo[] {
    return [...this.entries.values()]
      .filter((e) => e.open)
      .map(({ token, executionArn, stateName, openedAt }) => ({ token, executionArn, stateName, openedAt }));
  }

  private take(token: string): TokenEntry {
    const entry = this.lookup(token);
    this.close(entry);
    return entry;
  }

  private lookup(token: string): TokenEntry {
    const entry = this.entries.get(token);
    if (!entry) throw new SfnApiError('InvalidToken', 'Invalid Token');
    if (!entry.open) throw new SfnApiError('TaskTimedOut', 'Provided task does not exist anymore');
    return entry;
  }

  private close(entry: TokenEntry): void {
    entry.open = false;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = undefined;
  }
}
