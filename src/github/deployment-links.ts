import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoTable } from '../history/dynamo-table.js';
import type { GithubDeploymentState } from './deployment-state.js';

/** `PK=DEP#<id>, SK=GITHUB_DEPLOYMENT`: which GitHub deployment mirrors a stepcd deployment, and how far. */
export interface GithubDeploymentLink {
  deploymentId: string;
  claimedAt: string;
  githubDeploymentId?: number;
  /** The last state posted to GitHub, and its rank (deployment-state.ts). */
  mirrored?: GithubDeploymentState;
  mirroredRank?: number;
}

const linkKey = (deploymentId: string) => ({ PK: `DEP#${deploymentId}`, SK: 'GITHUB_DEPLOYMENT' });

/**
 * The mapping lives in the history table as its own item family, next to the deployment record, so a
 * deployment's GitHub side is found with one GetItem and written with single-item conditions only.
 */
export class GithubDeploymentLinks {
  private readonly table: DynamoTable;

  constructor(doc: DynamoDBDocumentClient, tableName: string, now: () => Date = () => new Date()) {
    this.table = new DynamoTable(doc, tableName, now);
  }

  async get(deploymentId: string): Promise<GithubDeploymentLink | undefined> {
    const item = await this.table.get(linkKey(deploymentId), `reading the GitHub deployment of ${deploymentId}`);
    return item as GithubDeploymentLink | undefined;
  }

  /** First caller wins the right to create the GitHub deployment; false when another already has. */
  async claim(deploymentId: string): Promise<boolean> {
    return this.table.put(
      {
        Item: { ...linkKey(deploymentId), kind: 'GITHUB_DEPLOYMENT', deploymentId, claimedAt: this.table.stamp() },
        ConditionExpression: 'attribute_not_exists(PK)',
      },
      `claiming the GitHub deployment of ${deploymentId}`,
    );
  }

  async setGithubId(deploymentId: string, githubDeploymentId: number): Promise<void> {
    await this.table.update(
      { Key: linkKey(deploymentId), UpdateExpression: 'SET githubDeploymentId = :id', ExpressionAttributeValues: { ':id': githubDeploymentId } },
      `recording GitHub deployment ${githubDeploymentId} of ${deploymentId}`,
    );
  }

  /** Moves the mirrored state forward only: false when it is already at `rank` or past it. */
  async advance(deploymentId: string, state: GithubDeploymentState, rank: number): Promise<boolean> {
    return this.table.update(
      {
        Key: linkKey(deploymentId),
        UpdateExpression: 'SET mirrored = :s, mirroredRank = :r',
        ConditionExpression: 'attribute_not_exists(mirroredRank) OR mirroredRank < :r',
        ExpressionAttributeValues: { ':s': state, ':r': rank },
      },
      `recording GitHub state ${state} of ${deploymentId}`,
    );
  }

  /** Undoes `advance` after GitHub refused the status, so the retry posts it again. */
  async retreat(deploymentId: string, state: GithubDeploymentState, previous: Pick<GithubDeploymentLink, 'mirrored' | 'mirroredRank'>): Promise<void> {
    const back =
      previous.mirrored === undefined
        ? { UpdateExpression: 'REMOVE mirrored, mirroredRank', ExpressionAttributeValues: { ':s': state } }
        : {
            UpdateExpression: 'SET mirrored = :p, mirroredRank = :pr',
            ExpressionAttributeValues: { ':s': state, ':p': previous.mirrored, ':pr': previous.mirroredRank ?? 0 },
          };
    await this.table.update({ Key: linkKey(deploymentId), ConditionExpression: 'mirrored = :s', ...back }, `undoing GitHub state ${state} of ${deploymentId}`);
  }
}
