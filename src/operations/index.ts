export type { RollbackDeps, StartDeps, SyncDeps, TrackedBranch } from './ports.js';
export { rollbackApp, type RollbackRequest, type RollbackResult } from './rollback.js';
export { chooseRollbackTarget, rollbackPlan } from './rollback-target.js';
export { startDeployment, type Started } from './start.js';
export { syncApp, type SyncRequest, type SyncResult } from './sync.js';
