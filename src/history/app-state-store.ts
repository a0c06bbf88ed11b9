import type { AppState, LastGood } from '../domain/deployment.js';

/** Port over each app's state item: the per-app lock, the queue behind it, and the last good deployment. */
export interface AppStateStore {
  getAppState(app: string): Promise<AppState>;
  /** Every app with app state (it has run a deployment), sorted; reads the whole table, so for rare listings only. */
  listApps(): Promise<string[]>;
  /** Conditional write: takes the lock if free or already ours. */
  tryLock(app: string, deploymentId: string): Promise<boolean>;
  /** Releases only if `deploymentId` holds it; a no-op otherwise. */
  releaseLock(app: string, deploymentId: string): Promise<void>;
  enqueue(app: string, deploymentId: string): Promise<void>;
  /** Also forgets its queue token. */
  dequeue(app: string, deploymentId: string): Promise<void>;
  /** Conditional write: stores the task token a queued deployment waits on; false when it is not queued. */
  setQueueToken(app: string, deploymentId: string, taskToken: string): Promise<boolean>;
  setLastGood(app: string, lastGood: LastGood): Promise<void>;
}
