import type { StageWait } from '../domain/stage-wait.js';
import type { StageInput } from '../stages/types.js';
import { judgeTarget } from './judge.js';
import type { StabilityDeps } from './ports.js';
import { waitTargetOf } from './target.js';

/**
 * The stability/ANALYSIS wait's `lambda:invoke.waitForTaskToken` target. The token is stored first,
 * keyed by what the stage waits for, and only then is the target looked at once: an event that
 * fires between the start and now finds no token, so this look is what keeps it from being lost.
 * Already ready → the token is resumed at once; already failed → thrown, which fails the task with
 * the stage's error name (the token dies with the invocation). Otherwise the execution sleeps until
 * an event, the slice's TimeoutSeconds (the backstop), or a cancel.
 */
export async function openStageWait(
  input: StageInput,
  taskToken: string,
  deps: StabilityDeps,
  /** Runs once the token is stored: a cancel flag read here cannot miss a cancel that missed the token. */
  afterOpen: () => Promise<void> = async () => undefined,
): Promise<{ waiting: boolean; detail: string }> {
  const target = waitTargetOf(input);
  const wait: StageWait = {
    deploymentId: input.plan.deploymentId,
    stageIndex: input.stage.index,
    taskToken,
    target,
    openedAt: new Date(deps.ports.now()).toISOString(),
  };
  await deps.waits.openWait(wait);
  await afterOpen();
  const verdict = await judgeTarget(target, deps.ports);
  if (verdict.status === 'failed') {
    await deps.waits.closeWait(wait);
    throw verdict.error;
  }
  if (verdict.status === 'ready' && (await deps.waits.closeWait(wait))) {
    await deps.tokens.resume(taskToken, { woke: 'check', detail: verdict.detail });
    return { waiting: false, detail: verdict.detail };
  }
  return { waiting: true, detail: verdict.detail };
}
