import type { LiveService, ServiceLookup } from '../gitops/service-lookup.js';
import type { AwsClientConfig } from './client-config.js';
import { describeServicesJson } from './ecs-reads.js';

/** DescribeServices takes at most 10 services per call. */
export const DESCRIBE_SERVICES_MAX = 10;

/**
 * The trigger's ServiceLookup over DescribeServices, ten names a call (with their tags, for the
 * stepcd:app owner). An unknown name is a `failures: [{reason: MISSING}]` entry, not an exception;
 * an INACTIVE service (deleted, still listed for a while) does not exist either.
 */
export function createServiceLookup(config: AwsClientConfig): ServiceLookup {
  return {
    async servicesIn(cluster, serviceNames) {
      const names = [...new Set(serviceNames)];
      const found = new Map<string, LiveService>();
      for (let i = 0; i < names.length; i += DESCRIBE_SERVICES_MAX) {
        const batch = names.slice(i, i + DESCRIBE_SERVICES_MAX);
        const doing = `describing ${batch.length} service(s) in cluster ${cluster}`;
        const out = await describeServicesJson(config, { cluster, services: batch, include: ['TAGS'] }, doing);
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
