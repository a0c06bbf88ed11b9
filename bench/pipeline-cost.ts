import { classifyTransitions, enteredStates, type TransitionFigures } from './transitions.js';
import { estimateCost, type CostEstimate, type LambdaUsage } from './cost.js';
import type { BenchStack } from './support/bench-stack.js';
import { addCounts, diffCounts, roundMs, sortedCounts, sum } from './support/stats.js';

export interface PipelineFigures {
  app: string;
  strategy: string | null;
  stages: string[];
  status: string | null;
  transitions: TransitionFigures;
  lambdaInvocations: Record<string, number> & { total: number };
  awsCalls: { total: number; byService: Record<string, number>; byOperation: Record<string, number> };
  cost: CostEstimate;
  /** Real ms from sending the webhook to the execution's end, with every wait shortened. */
  wallMs: number;
  /** The same span on the cloud's clock: how long it would take given the emulator's ECS timings. */
  emulatedMs: number;
}

/**
 * Runs one deployment of `app` (an image bump pushed through the webhook) to its end and reads what it
 * cost: transitions from the local SFN, Lambda invocations and their measured durations, and every
 * AWS call (ECS/ELBv2 from the emulator's log, DynamoDB/SFN/EventBridge from the SDK call counter).
 * Invocations are the local stack's own count of each one where it happened (its state machine
 * tasks, EventBridge deliveries by serverless.yml's rules, the webhook and Slack routes, webhook
 * continuations): none is assumed. The app must already be deployed once, so this is a change.
 */
export async function measurePipeline(
  bench: BenchStack,
  opts: { app: string; tag: string; memoryMb: Record<string, number>; timeoutMs?: number },
): Promise<PipelineFigures> {
  const { stack } = bench;
  const emulatedBefore = stack.cloud.emulator.calls.byOperation();
  const mark = bench.calls.mark();
  const invocationsBefore = stack.invocations();
  const sfnInvocationsBefore = stack.cloud.sfn.invocations();
  const durationsBefore = Object.fromEntries(Object.entries(stack.invocationDurations()).map(([k, v]) => [k, v.length]));

  const pushed = await bench.bumpImage(opts.app, opts.tag);
  const started = pushed.body.apps?.find((a) => a.app === opts.app);
  if (pushed.status !== 200 || !started?.executionArn) {
    throw new Error(`push of ${opts.app}:${opts.tag} started no execution (HTTP ${pushed.status}): ${JSON.stringify(pushed.body)}`);
  }
  const arn = started.executionArn;
  const run = await stack.cloud.sfn.waitForExecution(arn, { timeoutMs: opts.timeoutMs ?? 60_000 });
  const wallMs = performance.now() - pushed.sentAt;
  // The finaliser, ecs-events and github-deployments run off events: let the bus deliver (and what
  // they cause settle) before reading counters.
  await stack.cloud.events.drain();
  await settledInvocations(stack);

  const sdkCalls = bench.calls.byOperation({ from: mark, services: ['dynamodb', 'sfn', 'events'] });
  const emulatedCalls = diffCounts(stack.cloud.emulator.calls.byOperation(), emulatedBefore);
  const byOperation = sortedCounts(addCounts(emulatedCalls, sdkCalls));
  const invocations = diffCounts(stack.invocations(), invocationsBefore);
  // Two counters of the state machine's tasks, kept apart: the stack's, and the local SFN's own.
  const sfnInvocations = diffCounts(stack.cloud.sfn.invocations(), sfnInvocationsBefore);
  for (const [name, n] of Object.entries(sfnInvocations)) {
    if (invocations[name] !== n) throw new Error(`${name}: the local SFN invoked it ${n} times, the stack counted ${invocations[name] ?? 0}`);
  }
  const durations: Record<string, number[]> = {};
  for (const [name, list] of Object.entries(stack.invocationDurations())) durations[name] = list.slice(durationsBefore[name] ?? 0);
  const usage: Record<string, LambdaUsage> = {};
  for (const [name, count] of Object.entries(invocations)) {
    usage[name] = { invocations: count, memoryMb: opts.memoryMb[name] ?? 128, durationsMs: durations[name] ?? [] };
  }

  const transitions = classifyTransitions(enteredStates(stack.cloud.sfn.history(arn)), stack.cloud.sfn.transitions(arn));
  // Read after counting, so the bench's own reads are not in the figures.
  const record = await stack.core.history.getDeployment(started.deploymentId);
  return {
    app: opts.app,
    strategy: record?.strategy ?? null,
    stages: record?.stages.map((s) => s.name) ?? [],
    status: record?.status ?? run.status,
    transitions,
    lambdaInvocations: { ...sortedCounts(invocations), total: sum(Object.values(invocations)) },
    awsCalls: { total: sum(Object.values(byOperation)), byService: byService(byOperation), byOperation },
    cost: estimateCost(transitions.includingPollLoops, usage),
    wallMs: roundMs(wallMs),
    emulatedMs: (run.stopDate?.getTime() ?? stack.cloud.clock.now()) - run.startDate.getTime(),
  };
}

/** Until every counted invocation has finished (an approval click answers just after it resumes the execution). */
async function settledInvocations(stack: BenchStack['stack']): Promise<void> {
  const finished = () => Object.values(stack.invocationDurations()).reduce((n, list) => n + list.length, 0);
  const started = () => Object.values(stack.invocations()).reduce((n, c) => n + c, 0);
  for (let i = 0; i < 500 && finished() < started(); i++) await new Promise((r) => setTimeout(r, 2));
  await stack.cloud.events.drain();
}

function byService(byOperation: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, n] of Object.entries(byOperation)) {
    const service = key.slice(0, key.indexOf(':'));
    out[service] = (out[service] ?? 0) + n;
  }
  return sortedCounts(out);
}
