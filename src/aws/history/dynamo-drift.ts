import type { DocumentClient } from '../dynamodb.js';
import type { DriftState, DriftStore } from '../../drift/types.js';
import { applied, DynamoTable } from './dynamo-table.js';
import { appPartition, type Item } from './items.js';

export const DRIFT_SK = 'DRIFT';

/** `PK=APP#<app>, SK=DRIFT` in the history table: the drift check's last verdict per app. */
export class DynamoDriftStore implements DriftStore {
  private readonly table: DynamoTable;

  constructor(doc: DocumentClient, tableName: string, now: () => Date = () => new Date()) {
    this.table = new DynamoTable(doc, tableName, now);
  }

  async getDrift(app: string): Promise<DriftState | undefined> {
    const item = await this.table.get({ PK: appPartition(app), SK: DRIFT_SK }, `reading the drift state of ${app}`);
    return item ? fromItem(item) : undefined;
  }

  /** A scan like listApps: drift items are few (one per app) but the table is read whole; for the CLI and dashboard only. */
  async listDrift(): Promise<DriftState[]> {
    const items = await this.table.scan({ FilterExpression: 'SK = :sk', ExpressionAttributeValues: { ':sk': DRIFT_SK } }, 'listing drift states');
    return items.map(fromItem).sort((a, b) => a.app.localeCompare(b.app));
  }

  putDrift(state: DriftState, previous: string | undefined): Promise<boolean> {
    return applied(
      this.table.put(
        {
          Item: { ...state, PK: appPartition(state.app), SK: DRIFT_SK, kind: 'DRIFT' },
          ...(previous === undefined
            ? { ConditionExpression: 'attribute_not_exists(PK)' }
            : { ConditionExpression: 'fingerprint = :previous', ExpressionAttributeValues: { ':previous': previous } }),
        },
        `recording the drift state of ${state.app}`,
      ),
    );
  }
}

function fromItem(item: Item): DriftState {
  const { PK: _pk, SK: _sk, kind: _kind, ...state } = item;
  return state as unknown as DriftState;
}
