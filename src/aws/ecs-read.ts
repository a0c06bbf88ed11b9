import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import type { LiveEcsReader, LiveService } from '../plan/preview.js';
import { wrapAwsError } from '../errors.js';
import type { AwsClientConfig } from './client-config.js';

/**
 * LiveEcsReader over @aws-sdk/client-ecs: the service as DescribeServices returns it and the PRIMARY
 * task set's task definition. Read-only; `stepcd plan` diffs them against the manifest.
 */
export function createLiveEcsReader(config: AwsClientConfig | ECSClient): LiveEcsReader {
  const client = config instanceof ECSClient ? config : new ECSClient(config);

  async function describeService(cluster: string, serviceName: string): Promise<Record<string, unknown> | undefined> {
    try {
      const out = await client.send(new DescribeServicesCommand({ cluster, services: [serviceName], include: ['TAGS'] }));
      // An unknown service is a `failures: [{reason: MISSING}]` entry, not an exception.
      return out.services?.find((s) => s.status !== 'INACTIVE') as Record<string, unknown> | undefined;
    } catch (err) {
      // No cluster means no service yet: a first deployment, not an error.
      if ((err as { name?: string }).name === 'ClusterNotFoundException') return undefined;
      throw wrapAwsError(`describing service ${serviceName} in cluster ${cluster}`, err);
    }
  }

  async function describeTaskDefinition(arn: string): Promise<Record<string, unknown> | undefined> {
    try {
      const out = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] }));
      // DescribeTaskDefinition returns the tags beside the definition; the taskdef file carries them inside.
      return out.taskDefinition ? { ...out.taskDefinition, ...(out.tags ? { tags: out.tags } : {}) } : undefined;
    } catch (err) {
      throw wrapAwsError(`describing task definition ${arn}`, err);
    }
  }

  return {
    async describeLive(cluster, serviceName): Promise<LiveService | undefined> {
      const service = await describeService(cluster, serviceName);
      if (!service) return undefined;
      const taskSets = (service.taskSets ?? []) as { status?: string; taskDefinition?: string }[];
      const primaryArn = taskSets.find((s) => s.status === 'PRIMARY')?.taskDefinition;
      const taskDefinition = primaryArn ? await describeTaskDefinition(primaryArn) : undefined;
      return {
        service,
        ...(primaryArn ? { primaryTaskDefinitionArn: primaryArn } : {}),
        ...(taskDefinition ? { taskDefinition } : {}),
      };
    },

    close: () => client.destroy(),
  };
}
