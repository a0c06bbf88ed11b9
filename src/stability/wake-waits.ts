import { type CloudEvent, eventKeys } from './event-keys.js';
import { judgeTarget } from './judge.js';
import type { StabilityDeps } from './ports.js';

export interface WakeResult {
  keys: string[];
  /** Waits whose target the event was about and that were looked at. */
  checked: number;
  resumed: number;
  failed: number;
}

/**
 * The ecs-events function: an ECS or CloudWatch event is a hint that a wait may be over. Each open
 * wait on a key the event names is re-checked with one describe; only a target that is ready or
 * failed settles its token, and only after winning the once-only close (an event, the wait's own
 * check and a cancel may race). A token already closed is handled; any other error throws, so
 * EventBridge retries the delivery.
 */
export async function wakeWaits(event: CloudEvent, deps: StabilityDeps): Promise<WakeResult> {
  const keys = eventKeys(event);
  const result: WakeResult = { keys, checked: 0, resumed: 0, failed: 0 };
  for (const key of keys) {
    for (const wait of await deps.waits.waitsOn(key)) {
      result.checked++;
      const verdict = await judgeTarget(wait.target, deps.ports);
      if (verdict.status === 'pending') continue;
      if (!(await deps.waits.closeWait(wait))) continue;
      const fields = { deploymentId: wait.deploymentId, stageIndex: wait.stageIndex, key, event: event['detail-type'] };
      if (verdict.status === 'failed') {
        if (await deps.tokens.fail(wait.taskToken, verdict.error.name, verdict.error.message)) result.failed++;
        deps.ports.log('stage wait failed by an event', { ...fields, reason: verdict.error.message });
      } else {
        if (await deps.tokens.resume(wait.taskToken, { woke: 'event', detail: verdict.detail })) result.resumed++;
        deps.ports.log('stage wait resumed by an event', { ...fields, detail: verdict.detail });
      }
    }
  }
  return result;
}
