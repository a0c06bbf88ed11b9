import type { AppState, LastGood } from '../../domain/deployment.js';
import { ConditionalWriteConflictError, InvalidStateError } from '../../errors.js';
import type { AppStateStore } from '../../history/app-state-store.js';
import { applied, type DynamoTable } from './dynamo-table.js';
import { appStateFromItem, appStateKey, STATE_SK } from './items.js';

/** How often `dequeue` re-reads the queue when a concurrent writer moved it under us. */
const DEQUEUE_ATTEMPTS = 5;

/** `APP#<app>/STATE`: the per-app lock, the queue behind it, and the last good deployment. */
export class DynamoAppStateStore implements AppStateStore {
  constructor(private readonly table: DynamoTable) {}

  /** The name of every app that ever took the lock (has a STATE item), sorted. */
  async listApps(): Promise<string[]> {
    const items = await this.table.scan(
      { FilterExpression: 'SK = :state', ExpressionAttributeValues: { ':state': STATE_SK }, ProjectionExpression: 'PK' },
      'listing apps',
    );
    return items.map((item) => String(item.PK).replace(/^APP#/, '')).sort();
  }

  async getAppState(app: string): Promise<AppState> {
    return appStateFromItem(app, await this.table.get(appStateKey(app), `reading app state of ${app}`));
  }

  async tryLock(app: string, deploymentId: string): Promise<boolean> {
    return applied(
      this.table.update(
        {
          Key: appStateKey(app),
          // Re-taking our own lock keeps the original lockedAt.
          UpdateExpression: 'SET app = :app, lockHolder = :id, lockedAt = if_not_exists(lockedAt, :at)',
          ConditionExpression: 'attribute_not_exists(lockHolder) OR lockHolder = :id',
          ExpressionAttributeValues: { ':app': app, ':id': deploymentId, ':at': this.table.stamp() },
        },
        `locking app ${app} for deployment ${deploymentId}`,
      ),
    );
  }

  async releaseLock(app: string, deploymentId: string): Promise<void> {
    // A refused release means someone else holds the lock (or nobody does): nothing to do.
    await applied(
      this.table.update(
        {
          Key: appStateKey(app),
          UpdateExpression: 'REMOVE lockHolder, lockedAt',
          ConditionExpression: 'lockHolder = :id',
          ExpressionAttributeValues: { ':id': deploymentId },
        },
        `releasing the lock of app ${app} held by ${deploymentId}`,
      ),
    );
  }

  async enqueue(app: string, deploymentId: string): Promise<void> {
    // A refused append means the id is already queued: enqueue is idempotent.
    await applied(
      this.table.update(
        {
          Key: appStateKey(app),
          // The token map is made here, with the queue: a token is later set as one path inside it.
          UpdateExpression: 'SET app = :app, queue = list_append(if_not_exists(queue, :empty), :ids), queueTokens = if_not_exists(queueTokens, :none)',
          ConditionExpression: 'attribute_not_exists(queue) OR NOT contains(queue, :id)',
          ExpressionAttributeValues: { ':app': app, ':empty': [], ':ids': [deploymentId], ':id': deploymentId, ':none': {} },
        },
        `queueing deployment ${deploymentId} of app ${app}`,
      ),
    );
  }

  /**
   * DynamoDB can only remove a list element by index, so read the index and remove it on condition
   * that it still holds our id; a concurrent dequeue that shifted the list refuses the write, and the
   * refusal carries the queue as it now stands to try again with.
   */
  async dequeue(app: string, deploymentId: string): Promise<void> {
    let current = await this.getAppState(app);
    for (let attempt = 0; attempt < DEQUEUE_ATTEMPTS; attempt++) {
      const index = current.queue.indexOf(deploymentId);
      if (index < 0) return;
      // A path inside a missing map is invalid for REMOVE: an item queued before tokens had none.
      const token = current.queueTokens ? ', queueTokens.#id' : '';
      try {
        await this.table.update(
          {
            Key: appStateKey(app),
            UpdateExpression: `REMOVE queue[${index}]${token}`,
            ConditionExpression: `queue[${index}] = :id`,
            ExpressionAttributeValues: { ':id': deploymentId },
            ...(token ? { ExpressionAttributeNames: { '#id': deploymentId } } : {}),
          },
          `dequeueing deployment ${deploymentId} of app ${app}`,
        );
        return;
      } catch (err) {
        if (!(err instanceof ConditionalWriteConflictError)) throw err;
        current = appStateFromItem(app, err.current);
      }
    }
    throw new InvalidStateError(`could not dequeue deployment ${deploymentId} of app ${app}: the queue kept changing (${DEQUEUE_ATTEMPTS} attempts)`);
  }

  async setQueueToken(app: string, deploymentId: string, taskToken: string): Promise<boolean> {
    const doing = `storing the queue token of deployment ${deploymentId} of app ${app}`;
    const stored = await applied(
      this.table.update(
        {
          Key: appStateKey(app),
          UpdateExpression: 'SET queueTokens.#id = :token',
          ConditionExpression: 'contains(queue, :id) AND attribute_exists(queueTokens)',
          ExpressionAttributeNames: { '#id': deploymentId },
          ExpressionAttributeValues: { ':id': deploymentId, ':token': taskToken },
        },
        doing,
      ),
    );
    if (stored) return true;
    // Refused: not queued, or queued before the token map existed (then the map is made with it).
    return applied(
      this.table.update(
        {
          Key: appStateKey(app),
          UpdateExpression: 'SET queueTokens = :tokens',
          ConditionExpression: 'contains(queue, :id) AND attribute_not_exists(queueTokens)',
          ExpressionAttributeValues: { ':id': deploymentId, ':tokens': { [deploymentId]: taskToken } },
        },
        doing,
      ),
    );
  }

  async setLastGood(app: string, lastGood: LastGood): Promise<void> {
    await this.table.update(
      {
        Key: appStateKey(app),
        UpdateExpression: 'SET app = :app, lastGood = :lastGood',
        ExpressionAttributeValues: { ':app': app, ':lastGood': lastGood },
      },
      `recording the last good deployment of app ${app}`,
    );
  }
}
