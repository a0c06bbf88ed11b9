export { eventKeys, type CloudEvent } from './event-keys.js';
export { judgeTarget, type WaitVerdict } from './judge.js';
export { openStageWait } from './open-wait.js';
export type { StabilityDeps, WaitTokenPort } from './ports.js';
export { waitSliceSeconds, waitTargetOf } from './target.js';
export { wakeWaits, type WakeResult } from './wake-waits.js';
