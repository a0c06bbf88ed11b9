import type { HistoryEvent } from '../src/local/sfn/index.js';

/**
 * How a deployment's state transitions split. Step Functions bills every transition (retries
 * included), but the poll loops scale with how long ECS takes to stabilise, so the figure without
 * their repeats is the fixed cost of a pipeline and the figure with them is what one run cost.
 */
export interface TransitionFigures {
  /** All transitions, as billed: what `LocalSfn.transitions` counts (retries included). */
  includingPollLoops: number;
  /** `includingPollLoops` minus every repeated poll iteration: the cost if each wait passed at its first check. */
  excludingPollLoops: number;
  /** Transitions spent in repeated poll iterations, per loop. */
  pollLoops: { stabilise: number; rollback: number; queue: number };
  /** Task retries (a retry is a transition with no StateEntered event of its own). */
  retries: number;
  /** StateEntered count per state name. */
  byState: Record<string, number>;
}

/**
 * Each loop in statemachines/deployment.asl.json, named by the state that starts a repeat and the
 * states of one iteration. Stabilise: a repeat starts when WaitStable is entered again, straight from
 * itself (a backstop slice ended) or from Route after a CheckStable that found the stage still pending
 * (the first WaitStable comes from Route after the stage's own task). Rollback and queue: WaitRollback
 * and Queued are only ever entered to go round again.
 */
const LOOPS = {
  // A backstop slice that ended: WaitStable straight again.
  stabiliseSlice: { states: ['WaitStable'], repeatsWhen: (entered: readonly string[], i: number) => entered[i - 1] === 'WaitStable' },
  // A check that found the stage still pending, and the wait after it.
  stabilise: {
    states: ['WaitStable', 'CheckStable', 'Route'],
    repeatsWhen: (entered: readonly string[], i: number) => entered[i - 1] === 'Route' && entered[i - 2] === 'CheckStable',
  },
  rollback: { states: ['WaitRollback', 'RollbackStep', 'RollbackDone'], repeatsWhen: () => true },
  queue: { states: ['Queued', 'Begin', 'Route'], repeatsWhen: () => true },
} as const;

/** The figure each loop is reported under (both kinds of stability repeat are stabilise). */
const REPORTED_AS = { stabiliseSlice: 'stabilise', stabilise: 'stabilise', rollback: 'rollback', queue: 'queue' } as const;

type LoopName = keyof typeof LOOPS;
type ReportedLoop = (typeof REPORTED_AS)[LoopName];

/** Names of the states entered, in order, from GetExecutionHistory events. */
export function enteredStates(history: readonly HistoryEvent[]): string[] {
  const names: string[] = [];
  for (const event of history) {
    if (!event.type.endsWith('StateEntered')) continue;
    const name = event.details?.value.name;
    if (typeof name === 'string') names.push(name);
  }
  return names;
}

/** Splits `total` billed transitions of an execution whose entered states are `entered`. */
export function classifyTransitions(entered: readonly string[], total: number): TransitionFigures {
  const pollLoops: Record<ReportedLoop, number> = { stabilise: 0, rollback: 0, queue: 0 };
  const byState: Record<string, number> = {};
  for (const name of entered) byState[name] = (byState[name] ?? 0) + 1;

  let i = 0;
  while (i < entered.length) {
    const repeat = repeatAt(entered, i);
    if (!repeat) {
      i += 1;
      continue;
    }
    // Count the iteration's states as far as they match (an execution may end mid-iteration).
    const states = LOOPS[repeat].states;
    let n = 0;
    while (n < states.length && entered[i + n] === states[n]) n += 1;
    pollLoops[REPORTED_AS[repeat]] += n;
    i += n;
  }
  const repeats = pollLoops.stabilise + pollLoops.rollback + pollLoops.queue;
  return {
    includingPollLoops: total,
    excludingPollLoops: total - repeats,
    pollLoops,
    retries: Math.max(0, total - entered.length),
    byState,
  };
}

function repeatAt(entered: readonly string[], i: number): LoopName | undefined {
  const name = entered[i];
  for (const [loop, spec] of Object.entries(LOOPS) as [LoopName, (typeof LOOPS)[LoopName]][]) {
    if (spec.states[0] === name && spec.repeatsWhen(entered, i)) return loop;
  }
  return undefined;
}
