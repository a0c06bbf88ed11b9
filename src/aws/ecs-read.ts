import type { LiveEcsReader, LiveService } from '../plan/preview.js';
import type { AwsClientConfig } from './client-config.js';
import { describeServicesJson, describeTaskDefinitionJson } from './ecs-reads.js';
import { awsErrorCode } from './json-rpc.js';

/**
 * LiveEcsReader over ECS's read calls: the service as DescribeServices returns it and the PRIMARY
 * task set's task definition. Read-only; `stepcd plan` and a pull request's preview diff them
 * against the manifest.
 */
export function createLiveEcsReader(config: AwsClientConfig): LiveEcsReader {
  async function describeService(cluster: string, serviceName: string): Promise<Record<string, unknown> | undefined> {
    try {
      const doing = `describing service ${serviceName} in cluster ${cluster}`;
      const out = await describeServicesJson(config, { cluster, services: [serviceName], include: ['TAGS'] }, doing);
      // An unknown service is a `failures: [{reason: MISSING}]` entry, not an exception.
      return out.services?.find((s) => s.status !== 'INACTIVE');
    } catch (err) {
      // No cluster means no service yet: a first deployment, not an error.
      if (awsErrorCode(err) === 'ClusterNotFoundException') return undefined;
      throw err;
    }
  }

  async function describeTaskDefinition(arn: string): Promise<Record<string, unknown> | undefined> {
    const out = await describeTaskDefinitionJson(config, { taskDefinition: arn, include: ['TAGS'] }, `describing task definition ${arn}`);
    // DescribeTaskDefinition returns the tags beside the definition; the taskdef file carries them inside.
    return out.taskDefinition ? { ...out.taskDefinition, ...(out.tags ? { tags: out.tags } : {}) } : undefined;
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

    // Nothing to release: the signed requests share one keep-alive handler for the process.
    close: () => undefined,
  };
}
