import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import type { LiveService, ServiceLookup } from '../gitops/service-lookup.js';
import type { AwsClientConfig } from './client-config.js';
import { classifyEcsError } from './ecs.js';

/** DescribeServices takes at most 10 services per call. */
export const DESCRIBE_SERVICES_MAX = 10;

/**
 * The trigger's ServiceLookup over DescribeServices, ten names a call (with their tags, for the
 * stepcd:app owner). An unknown name is a `failures: [{reason: MISSING}]` entry, not an exception;
 * an INACTIVE service (deleted, still listed for a while) does not exist either.
 */
export function createServiceLookup(config: AwsClientConfig | ECSClient): ServiceLookup {
  const client = config instanceof ECSClient ? config : new ECSClient(config);
  return {
    async servicesIn(cluster, serviceNames) {
      const names = [...new Set(serviceNames)];
      const found = new Map<string, LiveService>();
      for (let i = 0; i < names.length; i += DESCRIBE_SERVICES_MAX) {
        const batch = names.slice(i, i + DESCRIBE_SERVICES_MAX);
        let out;
        try {
          out = await client.send(new DescribeServicesCommand({ cluster, services: batch, include: ['TAGS'] }));
        } catch (err) {
          throw classifyEcsError(`describing ${batch.length} service(s) in cluster ${cluster}`, err);
        }
        for (const service of out.services ?? []) {
          if (service.status === 'INACTIVE' || !service.serviceName) continue;
          const app = service.tags?.find((t) => t.key === 'stepcd:app')?.value;
          found.set(service.serviceName, app ? { app } : {});
        }
      }
      return found;
    },
  };
}
