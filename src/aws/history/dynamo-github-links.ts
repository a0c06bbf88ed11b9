import type { DocumentClient } from '../dynamodb.js';
import type { GithubDeploymentLink, GithubDeploymentLinks } from '../../github/deployment-links.js';
import type { GithubDeploymentState } from '../../github/deployment-state.js';
import { applied, DynamoTable } from './dynamo-table.js';

const linkKey = (deploymentId: string) => ({ PK: `DEP#${deploymentId}`, SK: 'GITHUB_DEPLOYMENT' });

/** `DEP#<id>/GITHUB_DEPLOYMENT`: the GitHub deployment mirroring a stepcd deployment. */
export class DynamoGithubDeploymentLinks implements GithubDeploymentLinks {
  private readonly table: DynamoTable;

  constructor(doc: DocumentClient, tableName: string, now: () => Date = () => new Date()) {
    this.table = new DynamoTable(doc, tableName, now);
  }

  async get(deploymentId: string): Promise<GithubDeploymentLink | undefined> {
    const item = await this.table.get(linkKey(deploymentId), `reading the GitHub deployment of ${deploymentId}`);
    return item as GithubDeploymentLink | undefined;
  }

  async claim(deploymentId: string): Promise<boolean> {
    return applied(
      this.table.put(
        {
          Item: { ...linkKey(deploymentId), kind: 'GITHUB_DEPLOYMENT', deploymentId, claimedAt: this.table.stamp() },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
        `claiming the GitHub deployment of ${deploymentId}`,
      ),
    );
  }

  async setGithubId(deploymentId: string, githubDeploymentId: number): Promise<void> {
    await this.table.update(
      { Key: linkKey(deploymentId), UpdateExpression: 'SET githubDeploymentId = :id', ExpressionAttributeValues: { ':id': githubDeploymentId } },
      `recording GitHub deployment ${githubDeploymentId} of ${deploymentId}`,
    );
  }

  async advance(deploymentId: string, state: GithubDeploymentState, rank: number): Promise<boolean> {
    return applied(
      this.table.update(
        {
          Key: linkKey(deploymentId),
          UpdateExpression: 'SET mirrored = :s, mirroredRank = :r',
          ConditionExpression: 'attribute_not_exists(mirroredRank) OR mirroredRank < :r',
          ExpressionAttributeValues: { ':s': state, ':r': rank },
        },
        `recording GitHub state ${state} of ${deploymentId}`,
      ),
    );
  }

  async retreat(deploymentId: string, state: GithubDeploymentState, previous: Pick<GithubDeploymentLink, 'mirrored' | 'mirroredRank'>): Promise<void> {
    const back =
      previous.mirrored === undefined
        ? { UpdateExpression: 'REMOVE mirrored, mirroredRank', ExpressionAttributeValues: { ':s': state } }
        : {
            UpdateExpression: 'SET mirrored = :p, mirroredRank = :pr',
            ExpressionAttributeValues: { ':s': state, ':p': previous.mirrored, ':pr': previous.mirroredRank ?? 0 },
          };
    // Refused when another state was mirrored since: that newer one stands.
    await applied(
      this.table.update({ Key: linkKey(deploymentId), ConditionExpression: 'mirrored = :s', ...back }, `undoing GitHub state ${state} of ${deploymentId}`),
    );
  }
}
