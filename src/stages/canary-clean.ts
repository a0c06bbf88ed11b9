import type { StageInput, StartResult } from './types.js';
import type { StagePorts } from './ports.js';
import { doneAlready, type StageExecutor } from './executor.js';
import { routeTraffic } from './routing.js';
import { ALL_PRIMARY } from './weights.js';
import { liveSets } from './task-set.js';
import { isCreatedBy } from './identity.js';

/**
 * ECS_CANARY_CLEAN: traffic off the canary first, then delete the canary set(s) this deployment
 * created. A canary already gone is success (PipeCD v0 failed there).
 */
export const canaryClean: StageExecutor = {
  async start(input: StageInput, ports: StagePorts): Promise<StartResult> {
    const { plan } = input;
    const routed = await routeTraffic(plan, input.state, ports, ALL_PRIMARY, { requireRules: false });
    const { cluster, serviceName } = plan.serviceDefinition;
    // Found by externalId as well as state, so a canary whose id was never recorded is not left serving.
    const canaries = liveSets(await ports.ecs.listTaskSets(cluster, serviceName)).filter(
      (s) => s.id === input.state.canaryTaskSetId || (isCreatedBy(plan.deploymentId, s.externalId) && s.externalId?.endsWith(':canary')),
    );
    for (const canary of canaries) {
      await ports.ecs.deleteTaskSet(cluster, serviceName, canary.id);
      ports.log('deleted canary task set', { taskSetId: canary.id });
    }
    const state = canaries.length > 0 ? { ...routed.state, touched: true } : routed.state;
    const detail = canaries.length > 0 ? `deleted canary ${canaries.map((c) => c.id).join(', ')}` : 'no canary left to delete';
    return { state, needsCheck: false, detail };
  },
  check: doneAlready,
};
