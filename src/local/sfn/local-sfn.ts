import './polyfill.js';
import { randomUUID } from 'node:crypto';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import type { Clock } from '../clock.js';
import { assertExecutionArn, assertValidName, executionArn as executionArnOf, stateMachineArn as stateMachineArnOf, stateMachineNameOf } from './arn.js';
import { prepareDefinition, type AslDefinition, type PreparedDefinition } from './definition.js';
import { SfnApiError } from './errors.js';
import { LocalExecution, type EventSink, type ExecutionDescription, type ExecutionStatus } from './execution.js';
import { LocalFunctions, type LocalFunction } from './functions.js';
import { sfnServiceHandler } from './handler.js';
import type { ServiceHandler } from '../aws-server.js';
import type { HistoryEvent } from './history.js';
import { TaskTokens, type OpenTokenInfo } from './task-tokens.js';

export interface LocalSfnOptions {
  clock: Clock;
  /** Receives the execution status-change events (the local EventBridge bus). */
  events?: EventSink;
  /** Real ms each Wait state sleeps (default 5); the clock still advances by the nominal time. */
  waitMs?: number;
  /** Real ms before each retry (default 10), whatever IntervalSeconds and BackoffRate say. */
  retryIntervalMs?: number;
  /** Per Wait state (by name): a different real sleep, or no clock advance. See WaitPolicy. */
  waitPolicy?: Record<string, WaitPolicy>;
}

/**
 * A Wait that waits on something other than emulated ECS (a queue behind another deployment, say)
 * must not move the shared clock: each of its loops would otherwise fast-forward time for every
 * other execution, including the deployment it is queued behind and its spec.timeout.
 */
export interface WaitPolicy {
  realMs?: number;
  advanceClock?: boolean;
  /**
   * For a `.waitForTaskToken` task that waits on emulated ECS (a stability wait): its TimeoutSeconds
   * runs on the cloud's clock, and while it waits the clock moves `stepMs` ahead every `everyMs` real
   * ms (default 10), as a Wait state fast-forwards, so the world it waits on gets there quickly. An
   * event or SendTask* still ends it early; only the timeout needs the emulated time to pass. The
   * clock moves only once the task's Lambda has returned and while `quiet()` says nothing else is
   * under way (an event being delivered, a Lambda running), so time never jumps under a reaction.
   */
  callbackOnClock?: { stepMs: number; everyMs?: number; quiet?: () => boolean };
}

export interface StateMachineRecord {
  stateMachineArn: string;
  name: string;
  definition: string;
  roleArn: string;
  creationDate: Date;
}

interface RegisteredMachine extends StateMachineRecord {
  machine: StateMachine;
  prepared: PreparedDefinition;
}

const MAX_INPUT_BYTES = 256 * 1024;
const MAX_ERROR_CHARS = 256;
const MAX_CAUSE_CHARS = 32_768;

/**
 * Step Functions on one machine: the same ASL, run by aws-local-stepfunctions, with the API semantics
 * stepcd relies on (idempotent StartExecution, StopExecution without Catch, once-only task tokens,
 * status-change events). `handler` serves it to the real SDK; the methods are the same API for tests
 * and benchmarks, plus introspection (transitions, history, open tokens) AWS only shows in the console.
 */
export class LocalSfn {
  private readonly machines = new Map<string, RegisteredMachine>();
  private readonly executions = new Map<string, LocalExecution>();
  private readonly functions = new LocalFunctions();
  private readonly tokens: TaskTokens;
  /** Serves this SFN over awsJson1_0 on the local cloud's AWS port. */
  readonly handler: ServiceHandler;

  constructor(private readonly opts: LocalSfnOptions) {
    this.tokens = new TaskTokens(() => opts.clock.now());
    this.handler = sfnServiceHandler(this);
  }

  /** Makes `name` callable from lambda:invoke tasks (FunctionName) and Lambda ARN resources. */
  registerFunction(name: string, fn: LocalFunction): void {
    this.functions.register(name, fn);
  }

  /** Invocations per registered function since start. */
  invocations(): Record<string, number> {
    return this.functions.invocations();
  }

  createStateMachine(req: { name: string; definition: string | AslDefinition; roleArn?: string }): StateMachineRecord {
    assertValidName(req.name, 'state machine');
    const text = typeof req.definition === 'string' ? req.definition : JSON.stringify(req.definition);
    const arn = stateMachineArnOf(req.name);
    const existing = this.machines.get(arn);
    if (existing) {
      // AWS answers an identical CreateStateMachine with the existing machine.
      if (existing.definition === text) return publicMachine(existing);
      throw new SfnApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    }
    const { machine, prepared } = compile(text);
    const record: RegisteredMachine = {
      stateMachineArn: arn,
      name: req.name,
      definition: text,
      roleArn: req.roleArn ?? 'arn:aws:iam::000000000000:role/stepcd-local',
      creationDate: new Date(this.opts.clock.now()),
      machine,
      prepared,
    };
    this.machines.set(arn, record);
    return publicMachine(record);
  }

  describeStateMachine(arn: string): StateMachineRecord {
    return publicMachine(this.machine(arn));
  }

  /** Idempotent only while RUNNING with the same input, as in AWS; otherwise the name is taken. */
  startExecution(req: { stateMachineArn: string; name?: string; input?: string }): { executionArn: string; startDate: Date } {
    const sm = this.machine(req.stateMachineArn);
    const name = req.name ?? randomUUID();
    assertValidName(name, 'execution');
    const input = req.input ?? '{}';
    if (Buffer.byteLength(input, 'utf8') > MAX_INPUT_BYTES) {
      throw new SfnApiError('InvalidExecutionInput', `input is larger than ${MAX_INPUT_BYTES} bytes`);
    }
    try {
      JSON.parse(input);
    } catch (err) {
      throw new SfnApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${(err as Error).message}'`, { cause: err });
    }
    const arn = executionArnOf(sm.name, name);
    const existing = this.executions.get(arn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn: arn, startDate: new Date(existing.startDate) };
      }
      throw new SfnApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const execution = new LocalExecution(arn, sm.stateMachineArn, name, input, sm.machine, sm.prepared, {
      clock: this.opts.clock,
      functions: this.functions,
      tokens: this.tokens,
      events: this.opts.events,
      waitMs: this.opts.waitMs ?? 5,
      retryIntervalMs: this.opts.retryIntervalMs ?? 10,
      waitPolicy: this.opts.waitPolicy ?? {},
    });
    this.executions.set(arn, execution);
    return { executionArn: arn, startDate: new Date(execution.startDate) };
  }

  describeExecution(arn: string): ExecutionDescription {
    return this.execution(arn).describe();
  }

  /** Newest first, as AWS lists them. */
  listExecutions(req: { stateMachineArn: string; statusFilter?: ExecutionStatus }): ExecutionDescription[] {
    const sm = this.machine(req.stateMachineArn);
    return [...this.executions.values()]
      .filter((e) => e.stateMachineArn === sm.stateMachineArn && (!req.statusFilter || e.status === req.statusFilter))
      .map((e) => e.describe())
      .sort((a, b) => b.startDate.getTime() - a.startDate.getTime());
  }

  /** ABORTED without running Catch; stopping a closed execution succeeds and changes nothing. */
  stopExecution(arn: string, reason: { error?: string; cause?: string } = {}): { stopDate: Date } {
    checkFailureFields(reason.error, reason.cause);
    const execution = this.execution(arn);
    execution.stop(reason.error, reason.cause);
    return { stopDate: new Date(execution.stopDate ?? this.opts.clock.now()) };
  }

  sendTaskSuccess(token: string, output: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(output);
    } catch (err) {
      throw new SfnApiError('InvalidOutput', `Invalid Output: '${(err as Error).message}'`, { cause: err });
    }
    if (Buffer.byteLength(output, 'utf8') > MAX_INPUT_BYTES) throw new SfnApiError('InvalidOutput', `output is larger than ${MAX_INPUT_BYTES} bytes`);
    this.tokens.succeed(token, parsed);
  }

  sendTaskFailure(token: string, error?: string, cause?: string): void {
    checkFailureFields(error, cause);
    this.tokens.fail(token, error ?? '', cause ?? '');
  }

  sendTaskHeartbeat(token: string): void {
    this.tokens.heartbeat(token);
  }

  /** GetExecutionHistory's events, oldest first. */
  history(arn: string): HistoryEvent[] {
    return [...this.execution(arn).history];
  }

  /** State transitions so far, retries included: what AWS bills ($0.025 per 1,000). */
  transitions(arn: string): number {
    return this.execution(arn).transitions;
  }

  /** Resolves with the final description once the execution ended and its history is complete. */
  async waitForExecution(arn: string, opts: { timeoutMs?: number } = {}): Promise<ExecutionDescription> {
    const execution = this.execution(arn);
    const timeoutMs = opts.timeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `execution ${arn} still ${execution.status} after ${timeoutMs} ms; open tokens: ${JSON.stringify(
                this.listOpenTokens()
                  .filter((t) => t.executionArn === arn)
                  .map((t) => t.stateName),
              )}`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      await Promise.race([execution.done, timeout]);
      return execution.describe();
    } finally {
      clearTimeout(timer);
    }
  }

  /** Which executions wait on which callback state, with the token to answer them. */
  listOpenTokens(): OpenTokenInfo[] {
    return this.tokens.listOpen();
  }

  /** Stops every running execution (used when the local cloud shuts down) and waits for them to settle. */
  async shutdown(): Promise<void> {
    const running = [...this.executions.values()].filter((e) => e.status === 'RUNNING');
    for (const e of running) e.stop('stepcd.LocalShutdown', 'the local cloud was stopped');
    await Promise.all(this.executionsDone());
  }

  /** Whether any execution still runs (a status-change subscriber may have started one during a shutdown). */
  hasRunning(): boolean {
    return [...this.executions.values()].some((e) => e.status === 'RUNNING');
  }

  private executionsDone(): Promise<void>[] {
    return [...this.executions.values()].map((e) => e.done.catch(() => undefined));
  }

  private machine(arn: string): RegisteredMachine {
    stateMachineNameOf(arn);
    const sm = this.machines.get(arn);
    if (!sm) throw new SfnApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return sm;
  }

  private execution(arn: string): LocalExecution {
    assertExecutionArn(arn);
    const execution = this.executions.get(arn);
    if (!execution) throw new SfnApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return execution;
  }
}

/**
 * Definitions already validated: asl-validator takes ~0.5 s per call (it compiles its schemas each
 * time), and tests and benchmarks register the same ASL over and over.
 */
const validated = new Set<string>();

/** Validates the ASL as AWS would (asl-validator, through the interpreter) and prepares what runs locally. */
function compile(text: string): { machine: StateMachine; prepared: PreparedDefinition } {
  let definition: AslDefinition;
  try {
    definition = JSON.parse(text) as AslDefinition;
  } catch (err) {
    throw new SfnApiError('InvalidDefinition', `Invalid State Machine Definition: '${(err as Error).message}'`, { cause: err });
  }
  try {
    // The validator mutates what it checks, hence a copy; ARNs are checked by prepareDefinition instead.
    if (!validated.has(text)) {
      new StateMachine(structuredClone(definition) as unknown as StateMachineDefinition, { validationOptions: { checkArn: false } });
      validated.add(text);
    }
    const prepared = prepareDefinition(definition);
    const machine = new StateMachine(prepared.runnable as unknown as StateMachineDefinition, { validationOptions: { noValidate: true } });
    return { machine, prepared };
  } catch (err) {
    throw new SfnApiError('InvalidDefinition', `Invalid State Machine Definition: ${(err as Error).message}`, { cause: err });
  }
}

function checkFailureFields(error?: string, cause?: string): void {
  if (error !== undefined && error.length > MAX_ERROR_CHARS) {
    throw new SfnApiError('ValidationException', `error must be at most ${MAX_ERROR_CHARS} characters`);
  }
  if (cause !== undefined && cause.length > MAX_CAUSE_CHARS) {
    throw new SfnApiError('ValidationException', `cause must be at most ${MAX_CAUSE_CHARS} characters`);
  }
}

function publicMachine(r: RegisteredMachine): StateMachineRecord {
  return { stateMachineArn: r.stateMachineArn, name: r.name, definition: r.definition, roleArn: r.roleArn, creationDate: r.creationDate };
}
