import './polyfill.js';
import type { RunOptions, StateMachine } from 'aws-local-stepfunctions';
import type { Clock } from '../clock.js';
import type { WaitPolicy } from './local-sfn.js';
import { LOCAL_TIMEOUT_KEY, type PreparedDefinition, type StateInfo } from './definition.js';
import { executionStoppedError, StateError } from './errors.js';
import type { LocalFunctions } from './functions.js';
import { causeText, HistoryMapper, type HistoryEvent, type InterpreterEvent } from './history.js';
import type { TaskTokens } from './task-tokens.js';
import { nominalWaitMs, sleep } from './waits.js';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** DescribeExecution's answer, dates as Date like the SDK's output. */
export interface ExecutionDescription {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: Date;
  stopDate?: Date;
}

/** Where events go, structurally the local EventBridge bus (kept as an interface to avoid a cycle). */
export interface EventSink {
  publishLocal(event: { source: string; detailType: string; detail: unknown; eventBusName?: string; resources?: string[] }): { id: string };
}

export interface ExecutionDeps {
  clock: Clock;
  functions: LocalFunctions;
  tokens: TaskTokens;
  events?: EventSink;
  /** Real ms every Wait state sleeps, whatever it nominally waits. */
  waitMs: number;
  /** Real ms before every retry, whatever the Retry field says. */
  retryIntervalMs: number;
  waitPolicy: Record<string, WaitPolicy>;
}

type Handler = (input: unknown) => Promise<unknown>;

/**
 * One running (or finished) execution: it feeds the interpreter local handlers for its Task and Wait
 * states, records AWS-shaped history from the interpreter's event log, and ends exactly once, with a
 * status-change event. Nothing it runs may reject unobserved: a failing execution must not take the
 * process (and every other execution) down.
 */
export class LocalExecution {
  status: ExecutionStatus = 'RUNNING';
  output?: string;
  error?: string;
  cause?: string;
  readonly startDate: number;
  stopDate?: number;
  readonly history: HistoryEvent[] = [];
  /** Settles when the execution has ended and its history is complete. */
  readonly done: Promise<void>;

  private readonly mapper: HistoryMapper;
  private readonly stopped = new AbortController();
  private abortRun: () => void = () => undefined;
  private stopRequest: { error?: string; cause?: string } = {};
  /** A token read through `$$.Task.Token` by the state being entered, until its task claims it. */
  private mintedToken?: string;

  constructor(
    readonly executionArn: string,
    readonly stateMachineArn: string,
    readonly name: string,
    readonly input: string,
    private readonly machine: StateMachine,
    private readonly prepared: PreparedDefinition,
    private readonly deps: ExecutionDeps,
  ) {
    this.startDate = deps.clock.now();
    this.mapper = new HistoryMapper(prepared.states, () => this.stopRequest);
    this.done = this.run();
  }

  get transitions(): number {
    return this.mapper.transitions;
  }

  describe(): ExecutionDescription {
    return {
      executionArn: this.executionArn,
      stateMachineArn: this.stateMachineArn,
      name: this.name,
      status: this.status,
      input: this.input,
      ...(this.output !== undefined && { output: this.output }),
      ...(this.error !== undefined && { error: this.error }),
      ...(this.cause !== undefined && { cause: this.cause }),
      startDate: new Date(this.startDate),
      ...(this.stopDate !== undefined && { stopDate: new Date(this.stopDate) }),
    };
  }

  /** StopExecution: ABORTED at once, no Catch, open tokens closed; a closed execution is left as it is. */
  stop(error?: string, cause?: string): void {
    if (this.status !== 'RUNNING') return;
    this.stopRequest = { ...(error !== undefined && { error }), ...(cause !== undefined && { cause }) };
    this.end('ABORTED', { error, cause });
    this.abortRun();
  }

  private async run(): Promise<void> {
    try {
      const execution = this.machine.run(JSON.parse(this.input), {
        overrides: { taskResourceLocalHandlers: this.handlers(), retryIntervalOverrides: this.retryOverrides() },
        context: this.context(),
        noThrowOnAbort: true,
      } as RunOptions);
      this.abortRun = execution.abort;
      const recorded = this.record(execution.eventLogs as AsyncGenerator<InterpreterEvent>);
      const outcome = await execution.result.then(
        (output) => ({ ok: true as const, output }),
        (err: unknown) => ({ ok: false as const, err }),
      );
      await recorded;
      if (outcome.ok) this.end('SUCCEEDED', { output: JSON.stringify(outcome.output ?? null) });
      else this.endWithError(outcome.err);
    } catch (err) {
      this.endWithError(err);
    }
  }

  private async record(events: AsyncGenerator<InterpreterEvent>): Promise<void> {
    for await (const ev of events) {
      for (const entry of this.mapper.map(ev)) {
        const last = this.history.at(-1);
        this.history.push({ ...entry, id: this.history.length + 1, previousEventId: last?.id ?? 0, timestamp: this.deps.clock.now() });
      }
    }
  }

  private endWithError(err: unknown): void {
    const e = err as { name?: string; message?: string; cause?: unknown };
    if (e?.name === 'ExecutionTimeoutError') {
      this.end('TIMED_OUT', { error: 'States.Timeout', cause: 'The execution timed out' });
      return;
    }
    // ExecutionError wraps the state's error (name = ASL error, message = cause) as `cause`.
    const inner = (e?.name === 'ExecutionError' && e.cause instanceof Error ? e.cause : err) as { name?: string; message?: string };
    this.end('FAILED', { error: inner?.name ?? 'States.Runtime', cause: causeText(inner?.message ?? String(err)) });
  }

  private end(status: Exclude<ExecutionStatus, 'RUNNING'>, fields: { output?: string; error?: string; cause?: string }): void {
    if (this.status !== 'RUNNING') return;
    this.status = status;
    this.stopDate = this.deps.clock.now();
    if (fields.output !== undefined) this.output = fields.output;
    if (fields.error !== undefined) this.error = fields.error;
    if (fields.cause !== undefined) this.cause = fields.cause;
    this.deps.tokens.closeExecution(this.executionArn, executionStoppedError());
    this.stopped.abort();
    this.publishStatusChange();
  }

  /** The real "Step Functions Execution Status Change" event, on the default bus. */
  private publishStatusChange(): void {
    if (!this.deps.events) return;
    try {
      this.deps.events.publishLocal({
        source: 'aws.states',
        detailType: 'Step Functions Execution Status Change',
        eventBusName: 'default',
        resources: [this.executionArn],
        detail: {
          executionArn: this.executionArn,
          stateMachineArn: this.stateMachineArn,
          name: this.name,
          status: this.status,
          startDate: this.startDate,
          stopDate: this.stopDate ?? null,
          input: this.input,
          inputDetails: { included: true },
          output: this.output ?? null,
          outputDetails: this.output === undefined ? null : { included: true },
          error: this.error ?? null,
          cause: this.cause ?? null,
        },
      });
    } catch (err) {
      console.error(`[local-sfn] could not publish the status change of ${this.executionArn}:`, err);
    }
  }

  /**
   * `$$` for the run. The context is fixed for a run, so `$$.Task.Token` is a getter: each callback
   * attempt reads it while its Parameters are resolved, and the task's handler claims it in the same
   * synchronous step. Reading it twice in one Parameters block gives the same token; the microtask
   * drops a token no task claimed, so it cannot leak into a later state.
   */
  private context(): Record<string, unknown> {
    const smName = this.stateMachineArn.split(':').at(-1);
    const execution = this;
    return {
      Execution: { Id: this.executionArn, Name: this.name, RoleArn: 'arn:aws:iam::000000000000:role/stepcd-local' },
      StateMachine: { Id: this.stateMachineArn, Name: smName },
      Task: {
        get Token(): string {
          if (!execution.mintedToken) {
            execution.mintedToken = execution.deps.tokens.mint();
            queueMicrotask(() => (execution.mintedToken = undefined));
          }
          return execution.mintedToken;
        },
      },
    };
  }

  private retryOverrides(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const s of this.prepared.states.values()) if (s.retries) out[s.name] = this.deps.retryIntervalMs;
    return out;
  }

  private handlers(): Record<string, Handler> {
    const out: Record<string, Handler> = {};
    for (const state of this.prepared.states.values()) {
      const handler = this.handlerFor(state);
      if (handler) out[state.name] = this.guarded(handler);
    }
    return out;
  }

  /** Nothing runs for a stopped execution: the interpreter may still be finishing its current state. */
  private guarded(handler: Handler): Handler {
    return async (input) => {
      if (this.status !== 'RUNNING') throw executionStoppedError();
      return handler(input);
    };
  }

  private handlerFor(state: StateInfo): Handler | undefined {
    if (state.wait) return (input) => this.wait(state, input);
    switch (state.task) {
      case 'lambda-invoke':
        return async (input) => {
          const { FunctionName, Payload } = lambdaParameters(state, input);
          const result = await this.deps.functions.invoke(FunctionName, Payload);
          return { ExecutedVersion: '$LATEST', Payload: result, StatusCode: 200 };
        };
      case 'lambda-callback':
        return (input) => this.callback(state, input);
      case 'lambda-arn':
        return (input) => this.deps.functions.invoke(state.resource ?? '', input);
      case 'events-put':
        return async (input) => this.putEvents(input);
      default:
        return undefined;
    }
  }

  private async wait(state: StateInfo, input: unknown): Promise<unknown> {
    const nominal = nominalWaitMs(state.wait ?? {}, input, this.deps.clock.now());
    const policy = this.deps.waitPolicy[state.name] ?? {};
    await sleep(policy.realMs ?? this.deps.waitMs, this.stopped.signal);
    if (this.status !== 'RUNNING') throw executionStoppedError();
    // Emulated ECS time moves with the workflow: a 5-minute Wait lets 5 emulated minutes pass.
    const clock = this.deps.clock as Clock & { advance?: (ms: number) => void };
    if (policy.advanceClock !== false) clock.advance?.(nominal);
    return input;
  }

  private async callback(state: StateInfo, input: unknown): Promise<unknown> {
    const token = this.mintedToken ?? this.deps.tokens.mint();
    this.mintedToken = undefined;
    const policy = this.deps.waitPolicy[state.name] ?? {};
    const timeoutMs = callbackTimeoutMs(state, input);
    const onClock = policy.callbackOnClock;
    const waiting = this.deps.tokens.open(token, {
      executionArn: this.executionArn,
      stateName: state.name,
      ...(timeoutMs !== undefined && !onClock ? { timeoutMs } : {}),
    });
    // Settled later by SendTask*, a timeout or a stop; observed here so a stop before the invoke returns is no unhandled rejection.
    waiting.catch(() => undefined);
    const openedAt = this.deps.clock.now();
    const { FunctionName, Payload } = lambdaParameters(state, input);
    try {
      await this.deps.functions.invoke(FunctionName, Payload);
    } catch (err) {
      this.deps.tokens.discard(token);
      throw err;
    }
    if (onClock) this.runOnClock(token, waiting, onClock, policy.advanceClock !== false, timeoutMs === undefined ? undefined : openedAt + timeoutMs);
    return waiting;
  }

  /** See WaitPolicy.callbackOnClock: the clock moves while the token waits; the timeout is on the clock. */
  private runOnClock(
    token: string,
    waiting: Promise<unknown>,
    opts: { stepMs: number; everyMs?: number; quiet?: () => boolean },
    advance: boolean,
    deadline?: number,
  ): void {
    const clock = this.deps.clock as Clock & { advance?: (ms: number) => void };
    const timer = setInterval(() => {
      if (deadline !== undefined && clock.now() >= deadline) {
        this.deps.tokens.expire(token);
        return;
      }
      if (opts.quiet && !opts.quiet()) return;
      if (advance) clock.advance?.(deadline === undefined ? opts.stepMs : Math.min(opts.stepMs, Math.max(0, deadline - clock.now())));
    }, opts.everyMs ?? 10);
    timer.unref();
    const stop = () => clearInterval(timer);
    waiting.then(stop, stop);
  }

  private putEvents(input: unknown): unknown {
    const entries = (input as { Entries?: unknown })?.Entries;
    if (!Array.isArray(entries) || !this.deps.events) {
      throw new StateError('States.Runtime', 'events:putEvents needs Parameters.Entries and a local event bus', { retryable: false });
    }
    const ids = entries.map((raw) => {
      const e = raw as { Source?: string; DetailType?: string; Detail?: unknown; EventBusName?: string; Resources?: string[] };
      const detail = typeof e.Detail === 'string' ? JSON.parse(e.Detail) : (e.Detail ?? {});
      return this.deps.events!.publishLocal({
        source: e.Source ?? '',
        detailType: e.DetailType ?? '',
        detail,
        eventBusName: e.EventBusName ?? 'default',
        resources: e.Resources ?? [],
      });
    });
    return { Entries: ids.map(({ id }) => ({ EventId: id })), FailedEntryCount: 0 };
  }
}

function lambdaParameters(state: StateInfo, input: unknown): { FunctionName: string; Payload: unknown } {
  const params = input as { FunctionName?: unknown; Payload?: unknown } | null;
  if (typeof params?.FunctionName !== 'string') {
    throw new StateError('States.Runtime', `state '${state.name}': Parameters.FunctionName is required for ${state.resource}`, {
      retryable: false,
      catchable: false,
    });
  }
  return { FunctionName: params.FunctionName, Payload: params.Payload ?? {} };
}

function callbackTimeoutMs(state: StateInfo, input: unknown): number | undefined {
  const fromPath = state.timeout?.path ? (input as Record<string, unknown> | null)?.[LOCAL_TIMEOUT_KEY] : undefined;
  const seconds = state.timeout?.seconds ?? fromPath;
  return typeof seconds === 'number' ? seconds * 1000 : undefined;
}
