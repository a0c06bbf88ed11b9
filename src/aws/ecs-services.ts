import { DescribeServicesCommand, ECSClient, type Service, type Tag } from '@aws-sdk/client-ecs';
import { AwsError, NotExternalError, type StepcdError, TooManyTaskSetsError, wrapAwsError } from '../errors.js';
import type { EcsPort, ServiceInfo, Tags } from '../stages/ports.js';
import type { AwsClientConfig } from './client-config.js';

/**
 * EcsPort.findService on its own, for the webhook: its planner only looks services up, and the whole
 * adapter (src/aws/ecs.ts) would bring every ECS command the stages send, with their schemas, into
 * the webhook's bundle. The adapter uses this same function.
 */
export function ecsServiceFinder(client: ECSClient): EcsPort['findService'] {
  return (cluster, serviceName) =>
    callEcs(`describing service ${serviceName}`, async () => {
      const out = await client.send(new DescribeServicesCommand({ cluster, services: [serviceName], include: ['TAGS'] }));
      // An unknown service is a `failures: [{reason: MISSING}]` entry, not an exception.
      const service = out.services?.find((s) => s.status !== 'INACTIVE');
      return service ? toServiceInfo(service) : undefined;
    });
}

/** One ECS client for the webhook's service lookups and its pull-request reads (createLiveEcsReader). */
export function createEcsClient(config: AwsClientConfig): ECSClient {
  return new ECSClient(config);
}

/** Runs one ECS call and classifies what it throws. */
export async function callEcs<T>(doing: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw classifyEcsError(doing, err);
  }
}

/** ECS says "too many task sets" and "not EXTERNAL" only in messages; name them so the ASL can tell. */
export function classifyEcsError(doing: string, err: unknown): StepcdError {
  const wrapped = wrapAwsError(doing, err);
  if (!(wrapped instanceof AwsError)) return wrapped;
  const message = (err as { message?: string })?.message ?? '';
  if (/deployments exist on the service|maximum limit/i.test(message)) return new TooManyTaskSetsError(wrapped.message, { cause: err });
  if (/EXTERNAL|deployment controller/i.test(message)) return new NotExternalError(wrapped.message, { cause: err });
  return wrapped;
}

export function toServiceInfo(s: Service): ServiceInfo {
  return {
    arn: s.serviceArn ?? '',
    name: s.serviceName ?? '',
    clusterArn: s.clusterArn ?? '',
    status: (s.status ?? 'ACTIVE') as ServiceInfo['status'],
    desiredCount: s.desiredCount ?? 0,
    deploymentController: s.deploymentController?.type ?? 'ECS',
    tags: fromTagList(s.tags),
    ...(s.healthCheckGracePeriodSeconds !== undefined ? { healthCheckGracePeriodSeconds: s.healthCheckGracePeriodSeconds } : {}),
    ...(s.placementConstraints ? { placementConstraints: s.placementConstraints.map((c) => ({ ...c })) } : {}),
    ...(s.placementStrategy ? { placementStrategy: s.placementStrategy.map((p) => ({ ...p })) } : {}),
    ...(s.enableECSManagedTags !== undefined ? { enableECSManagedTags: s.enableECSManagedTags } : {}),
    ...(s.propagateTags !== undefined ? { propagateTags: s.propagateTags } : {}),
  };
}

export function fromTagList(tags: Tag[] | undefined): Tags {
  const out: Tags = {};
  for (const t of tags ?? []) if (t.key) out[t.key] = t.value ?? '';
  return out;
}
