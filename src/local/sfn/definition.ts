/**
 * Reads an ASL definition once, at registration: which Task states call what, which states wait, and
 * what the interpreter should actually run. Everything here is pure; unsupported things fail now, with
 * the state's name, rather than halfway through an execution.
 */

/** A state as JSON: only the fields the local runtime looks at are typed. */
export interface AslState {
  Type: string;
  Resource?: string;
  Parameters?: unknown;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  HeartbeatSeconds?: number;
  Seconds?: number;
  SecondsPath?: string;
  Timestamp?: string;
  TimestampPath?: string;
  InputPath?: string | null;
  OutputPath?: string | null;
  Next?: string;
  End?: boolean;
  Comment?: string;
  Retry?: unknown[];
  Branches?: AslDefinition[];
  Iterator?: AslDefinition;
  ItemProcessor?: AslDefinition;
  [other: string]: unknown;
}

export interface AslDefinition {
  StartAt: string;
  States: Record<string, AslState>;
  TimeoutSeconds?: number;
  [other: string]: unknown;
}

export type TaskKind =
  /** `arn:aws:states:::lambda:invoke`: Parameters `{FunctionName, Payload}`, result `{Payload, StatusCode, ...}`. */
  | 'lambda-invoke'
  /** `arn:aws:states:::lambda:invoke.waitForTaskToken`: invoke, then wait for SendTask*. */
  | 'lambda-callback'
  /** `arn:aws:lambda:...:function:name`: the state input in, the function result out. */
  | 'lambda-arn'
  /** `arn:aws:states:::events:putEvents`: Parameters `{Entries}` to the local bus. */
  | 'events-put';

export interface WaitSpec {
  seconds?: number;
  secondsPath?: string;
  timestamp?: string;
  timestampPath?: string;
}

export interface StateInfo {
  name: string;
  /** The type in the original definition (Wait states run as Tasks, see prepareDefinition). */
  type: string;
  resource?: string;
  task?: TaskKind;
  /** Seconds (or a path to them) a callback task may wait before States.Timeout. */
  timeout?: { seconds?: number; path?: string };
  wait?: WaitSpec;
  retries: boolean;
}

export interface PreparedDefinition {
  /** What the interpreter runs: the definition with each Wait state swapped for a local Task. */
  runnable: AslDefinition;
  /** Every state by name, nested branches and iterators included (ASL names are unique machine-wide). */
  states: Map<string, StateInfo>;
}

/** The Resource given to Wait states run as local tasks; never reaches AWS or a user. */
export const LOCAL_WAIT_RESOURCE = 'arn:aws:states:::stepcd-local:wait';

/**
 * Large enough for any real Wait, small enough for setTimeout (2^31 ms): the interpreter arms a timer
 * of this length for every Task, and a larger one would overflow and fire at once.
 */
const WAIT_TASK_TIMEOUT_SECONDS = 2_000_000;

export class UnsupportedDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedDefinitionError';
  }
}

export function classifyResource(resource: string): TaskKind | undefined {
  if (/^arn:aws:states:[^:]*:[^:]*:lambda:invoke$/.test(resource)) return 'lambda-invoke';
  if (/^arn:aws:states:[^:]*:[^:]*:lambda:invoke\.waitForTaskToken$/.test(resource)) return 'lambda-callback';
  if (/^arn:aws:states:[^:]*:[^:]*:events:putEvents$/.test(resource)) return 'events-put';
  if (/^arn:aws:lambda:.*:function:.+$/.test(resource)) return 'lambda-arn';
  return undefined;
}

/**
 * Why the runtime swaps Wait states for Tasks: a Wait must advance the emulator's clock by its nominal
 * seconds at the moment it runs, and only a task override sees the state's input (for SecondsPath);
 * the interpreter's waitTimeOverrides are fixed numbers. The swapped Task keeps InputPath, OutputPath
 * and Next/End, and passes its input through, exactly as a Wait does.
 */
export function prepareDefinition(definition: AslDefinition): PreparedDefinition {
  const states = new Map<string, StateInfo>();
  const runnable = prepareLevel(definition, states);
  return { runnable, states };
}

function prepareLevel(level: AslDefinition, states: Map<string, StateInfo>): AslDefinition {
  if (!level || typeof level !== 'object' || typeof level.StartAt !== 'string' || !level.States) {
    throw new UnsupportedDefinitionError('definition needs StartAt and States');
  }
  const out: Record<string, AslState> = {};
  for (const [name, state] of Object.entries(level.States)) {
    if (states.has(name)) throw new UnsupportedDefinitionError(`state name '${name}' is used twice`);
    const info: StateInfo = { name, type: state.Type, retries: Array.isArray(state.Retry) && state.Retry.length > 0 };
    states.set(name, info);
    if (state.Type === 'Task') {
      describeTask(name, state, info);
      out[name] = info.timeout?.path ? resolveTimeoutPathInParameters(state, info.timeout.path) : state;
    } else if (state.Type === 'Wait') {
      info.wait = { seconds: state.Seconds, secondsPath: state.SecondsPath, timestamp: state.Timestamp, timestampPath: state.TimestampPath };
      out[name] = waitAsTask(state);
    } else if (state.Type === 'Parallel' && Array.isArray(state.Branches)) {
      out[name] = { ...state, Branches: state.Branches.map((b) => prepareLevel(b, states)) };
    } else if (state.Type === 'Map' && (state.ItemProcessor || state.Iterator)) {
      const key = state.ItemProcessor ? 'ItemProcessor' : 'Iterator';
      out[name] = { ...state, [key]: prepareLevel((state.ItemProcessor ?? state.Iterator) as AslDefinition, states) };
    } else {
      out[name] = state;
    }
  }
  return { ...level, States: out };
}

function describeTask(name: string, state: AslState, info: StateInfo): void {
  const resource = state.Resource ?? '';
  const kind = classifyResource(resource);
  if (!kind) {
    throw new UnsupportedDefinitionError(
      `unsupported resource in local SFN: '${resource}' (state '${name}'); use lambda:invoke, lambda:invoke.waitForTaskToken, events:putEvents or a Lambda function ARN`,
    );
  }
  info.resource = resource;
  info.task = kind;
  if (kind === 'lambda-callback') {
    if (state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined) {
      // AWS would wait up to a year and the interpreter silently gives up after 60 s: neither is wanted.
      throw new UnsupportedDefinitionError(
        `callback task '${name}' has no TimeoutSeconds: a waitForTaskToken task must set TimeoutSeconds or TimeoutSecondsPath`,
      );
    }
    info.timeout = { seconds: state.TimeoutSeconds, path: state.TimeoutSecondsPath };
  }
}

/**
 * Where a callback task's TimeoutSecondsPath is read. AWS resolves it against the state's input; the
 * interpreter resolves it against the input after Parameters, where `$.cursor...` no longer exists.
 * So the path moves into Parameters (which the interpreter resolves against the state's input, as
 * AWS does) under this key, and the callback handler reads the number from there.
 */
export const LOCAL_TIMEOUT_KEY = '__stepcdLocalTimeoutSeconds';

function resolveTimeoutPathInParameters(state: AslState, path: string): AslState {
  const { TimeoutSecondsPath: _path, ...rest } = state;
  const parameters = (state.Parameters ?? {}) as Record<string, unknown>;
  return { ...rest, TimeoutSeconds: WAIT_TASK_TIMEOUT_SECONDS, Parameters: { ...parameters, [`${LOCAL_TIMEOUT_KEY}.$`]: path } };
}

function waitAsTask(state: AslState): AslState {
  const task: AslState = { Type: 'Task', Resource: LOCAL_WAIT_RESOURCE, TimeoutSeconds: WAIT_TASK_TIMEOUT_SECONDS };
  for (const key of ['InputPath', 'OutputPath', 'Next', 'End', 'Comment'] as const) {
    if (key in state) task[key] = state[key] as never;
  }
  return task;
}

/** Every Task-run state name that a local handler must answer for (Tasks and swapped Waits). */
export function taskStateNames(prepared: PreparedDefinition): string[] {
  return [...prepared.states.values()].filter((s) => s.task || s.wait).map((s) => s.name);
}
