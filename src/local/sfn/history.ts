import type { StateInfo } from './definition.js';

/** One entry of GetExecutionHistory, as AWS shapes it (details under `<camelCaseType>EventDetails`). */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  /** Epoch ms on the cloud's clock. */
  timestamp: number;
  type: string;
  details?: { key: string; value: Record<string, unknown> };
}

/** The interpreter's event log entries, typed loosely: the package does not export its event types. */
export interface InterpreterEvent {
  type: string;
  timestamp: number;
  input?: unknown;
  output?: unknown;
  Error?: string;
  Cause?: unknown;
  index?: number;
  state?: { name: string; type: string; input: unknown; output?: unknown };
  parentState?: { name: string; type: string };
}

export type NewHistoryEvent = Pick<HistoryEvent, 'type' | 'details'>;

/**
 * Translates the interpreter's event log into AWS history events. Stateful only to remember which
 * task attempt failed, so a caught failure shows TaskFailed and not TaskSucceeded before the exit.
 * Retries count as state transitions, as AWS bills them.
 */
export class HistoryMapper {
  private readonly failed = new Set<string>();
  transitions = 0;

  constructor(
    private readonly states: ReadonlyMap<string, StateInfo>,
    private readonly stopReason: () => { error?: string; cause?: string },
  ) {}

  map(ev: InterpreterEvent): NewHistoryEvent[] {
    const state = ev.state ? this.states.get(ev.state.name) : undefined;
    const name = ev.state?.name ?? '';
    const type = state?.type ?? ev.state?.type ?? 'Unknown';
    const isTask = state?.task !== undefined;
    switch (ev.type) {
      case 'ExecutionStarted':
        return [detail('ExecutionStarted', { input: json(ev.input), inputDetails: { truncated: false } })];
      case 'ExecutionSucceeded':
        return [detail('ExecutionSucceeded', { output: json(ev.output), outputDetails: { truncated: false } })];
      case 'ExecutionFailed':
        return [detail('ExecutionFailed', { error: ev.Error, cause: causeText(ev.Cause) })];
      case 'ExecutionAborted':
        return [detail('ExecutionAborted', { ...this.stopReason() })];
      case 'ExecutionTimeout':
        return [detail('ExecutionTimedOut', { error: 'States.Timeout', cause: 'The execution timed out' })];
      case 'StateEntered': {
        this.transitions += 1;
        this.failed.delete(name);
        const entered = detail(`${type}StateEntered`, { name, input: json(ev.state?.input) }, 'stateEntered');
        return isTask ? [entered, ...this.taskStart(state)] : [entered];
      }
      case 'StateRetried':
        this.transitions += 1;
        this.failed.delete(name);
        return isTask ? this.taskStart(state) : [];
      case 'StateFailed': {
        if (!isTask) return [];
        this.failed.add(name);
        const timedOut = ev.Error === 'States.Timeout';
        return [detail(timedOut ? 'TaskTimedOut' : 'TaskFailed', { ...resourceOf(state), error: ev.Error, cause: causeText(ev.Cause) })];
      }
      case 'StateExited': {
        // One serialisation for both events: a state's output is the whole execution data.
        const output = json(ev.state?.output);
        const exited = detail(`${type}StateExited`, { name, output }, 'stateExited');
        if (!isTask || this.failed.has(name)) return [exited];
        return [detail('TaskSucceeded', { ...resourceOf(state), output }), exited];
      }
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed':
        return [detail(ev.type, { name: ev.parentState?.name, index: ev.index })];
      default:
        // Parallel branch markers and StateCaught have no AWS history event of their own.
        return [];
    }
  }

  private taskStart(state: StateInfo | undefined): NewHistoryEvent[] {
    return [detail('TaskScheduled', { ...resourceOf(state) }), detail('TaskStarted', { ...resourceOf(state) })];
  }
}

/** `TaskStateEntered` → `stateEnteredEventDetails`, as in the SDK's HistoryEvent. */
function detail(type: string, value: Record<string, unknown>, key?: string): NewHistoryEvent {
  const base = key ?? type.charAt(0).toLowerCase() + type.slice(1);
  return { type, details: { key: `${base}EventDetails`, value } };
}

function resourceOf(state: StateInfo | undefined): Record<string, unknown> {
  const resource = state?.resource ?? '';
  const m = /^arn:aws:states:[^:]*:[^:]*:([^:]+):(.+)$/.exec(resource);
  return m ? { resourceType: m[1], resource: m[2] } : { resourceType: 'lambda', resource };
}

function json(value: unknown): string {
  return JSON.stringify(value ?? null);
}

export function causeText(cause: unknown): string | undefined {
  if (cause === undefined || cause === null) return undefined;
  if (typeof cause === 'string') return cause;
  if (cause instanceof Error) return cause.message;
  return JSON.stringify(cause);
}
