import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { TABLE_KEYS, historyTableDefinition } from '../../../src/aws/history/table.js';

/** The HistoryTable resource as deployed; CloudFormation tags (!GetAtt, …) elsewhere in the file are left unresolved. */
function deployedTable(): Record<string, unknown> {
  const text = readFileSync(new URL('../../../serverless.yml', import.meta.url), 'utf8');
  const doc = parseDocument(text).toJS() as { resources: { Resources: { HistoryTable: { Properties: Record<string, unknown> } } } };
  return doc.resources.Resources.HistoryTable.Properties;
}

describe('history table definition', () => {
  it('declares the same keys and indexes in serverless.yml as the local table uses', () => {
    const local = historyTableDefinition('stepcd');
    const deployed = deployedTable();
    expect(deployed.BillingMode).toBe(local.BillingMode);
    expect(deployed.KeySchema).toEqual(local.KeySchema);
    expect(deployed.AttributeDefinitions).toEqual(local.AttributeDefinitions);
    expect(deployed.GlobalSecondaryIndexes).toEqual(local.GlobalSecondaryIndexes);
  });

  it('expires webhook deliveries through the ttl attribute the store writes', () => {
    expect(deployedTable().TimeToLiveSpecification).toEqual({ AttributeName: TABLE_KEYS.ttl, Enabled: true });
  });
});
