import type { AwsClientConfig } from './client-config.js';
import { callJsonRpc } from './json-rpc.js';

/**
 * ECS's two read calls the webhook makes (DescribeServices for the trigger's ownership check and a
 * pull request's preview, DescribeTaskDefinition for the preview), as signed JSON-RPC calls in ECS's
 * own member names. The functions that change ECS use @aws-sdk/client-ecs (src/aws/ecs.ts); the
 * webhook, on every push, would otherwise load its whole service (56 KB, ~6% of its cold import) for
 * two reads. Timestamps stay as the wire has them (epoch seconds), which no caller reads.
 */
const TARGET = 'AmazonEC2ContainerServiceV20141113';

export interface EcsServiceJson extends Record<string, unknown> {
  serviceName?: string;
  status?: string;
  tags?: { key?: string; value?: string }[];
  taskSets?: { status?: string; taskDefinition?: string }[];
}

export function describeServicesJson(
  config: AwsClientConfig,
  input: { cluster: string; services: string[]; include?: 'TAGS'[] },
  doing: string,
): Promise<{ services?: EcsServiceJson[]; failures?: { arn?: string; reason?: string }[] }> {
  return callJsonRpc({ service: 'ecs', target: `${TARGET}.DescribeServices`, config, input, doing });
}

export function describeTaskDefinitionJson(
  config: AwsClientConfig,
  input: { taskDefinition: string; include?: 'TAGS'[] },
  doing: string,
): Promise<{ taskDefinition?: Record<string, unknown>; tags?: { key?: string; value?: string }[] }> {
  return callJsonRpc({ service: 'ecs', target: `${TARGET}.DescribeTaskDefinition`, config, input, doing });
}
