import { waitKeys, type StageWait } from '../../domain/stage-wait.js';
import type { StageWaitStore } from '../../history/stage-wait-store.js';
import { applied, type DynamoTable } from './dynamo-table.js';
import type { Item } from './items.js';
import { TABLE_KEYS } from './table.js';

/** A wait outlives no stage: the longest stableTimeout or ANALYSIS window is far below this. */
const WAIT_TTL_SECONDS = 2 * 24 * 60 * 60;
const WAIT_SK = 'WAIT';
/** Deployment ids sort the waiters of one key; a query reads a key's waiters in one page. */
const MAX_WAITERS_PER_KEY = 100;

const currentKey = (deploymentId: string) => ({ PK: `DEP#${deploymentId}`, SK: WAIT_SK });
const byTargetKey = (key: string, deploymentId: string) => ({ PK: `WAIT#${key}`, SK: `DEP#${deploymentId}` });

/**
 * `DEP#<id>/WAIT` (the deployment's one open wait, for cancel) and `WAIT#<key>/DEP#<id>` for each key
 * an event may name. Not a transaction (dynalite has none): the deployment's item is written first and
 * a waiter found by key is only acted on while its token is still the deployment's current one.
 */
export class DynamoStageWaitStore implements StageWaitStore {
  constructor(private readonly table: DynamoTable) {}

  async openWait(wait: StageWait): Promise<void> {
    const item = { ...wait, closed: false, [TABLE_KEYS.ttl]: this.table.nowSeconds() + WAIT_TTL_SECONDS };
    // A retried or late Lambda must not put back a wait the execution has moved past.
    const newerOnly = {
      ConditionExpression: 'attribute_not_exists(PK) OR openedAt <= :openedAt',
      ExpressionAttributeValues: { ':openedAt': wait.openedAt },
    };
    const doing = `opening the stage wait of deployment ${wait.deploymentId} stage ${wait.stageIndex}`;
    if (!(await applied(this.table.put({ Item: { ...item, ...currentKey(wait.deploymentId), kind: 'WAIT' }, ...newerOnly }, doing)))) return;
    for (const key of waitKeys(wait.target)) {
      await applied(this.table.put({ Item: { ...item, ...byTargetKey(key, wait.deploymentId), kind: 'WAITER' }, ...newerOnly }, doing));
    }
  }

  async waitsOn(key: string): Promise<StageWait[]> {
    const items = await this.table.query(
      {
        KeyConditionExpression: 'PK = :pk',
        FilterExpression: 'closed = :open AND #ttl > :now',
        ExpressionAttributeNames: { '#ttl': TABLE_KEYS.ttl },
        ExpressionAttributeValues: { ':pk': `WAIT#${key}`, ':open': false, ':now': this.table.nowSeconds() },
        ConsistentRead: true,
      },
      MAX_WAITERS_PER_KEY,
      `reading the stage waits on ${key}`,
    );
    return items.map(fromItem);
  }

  async currentWait(deploymentId: string): Promise<StageWait | undefined> {
    const item = await this.table.get(currentKey(deploymentId), `reading the stage wait of deployment ${deploymentId}`);
    return item && item.closed === false ? fromItem(item) : undefined;
  }

  /**
   * Once-only on the deployment's item: of an event, a check and a cancel racing, one closes it. The
   * waiter items follow, so later events skip them without a describe.
   */
  async closeWait(wait: StageWait): Promise<boolean> {
    const doing = `closing the stage wait of deployment ${wait.deploymentId}`;
    const close = (key: { PK: string; SK: string }) =>
      this.table.updateIf(
        {
          Key: key,
          UpdateExpression: 'SET closed = :closed, closedAt = :at',
          ConditionExpression: 'taskToken = :token AND closed = :open',
          ExpressionAttributeValues: { ':closed': true, ':open': false, ':token': wait.taskToken, ':at': this.table.stamp() },
        },
        doing,
      );
    if (!(await close(currentKey(wait.deploymentId)))) return false;
    for (const key of waitKeys(wait.target)) await close(byTargetKey(key, wait.deploymentId));
    return true;
  }
}

function fromItem(item: Item): StageWait {
  const { deploymentId, stageIndex, taskToken, target, openedAt } = item as unknown as StageWait;
  return { deploymentId, stageIndex, taskToken, target, openedAt };
}
