import type { StartResult } from './types.js';
import type { StagePorts, TaskSetInfo } from './ports.js';
import { doneAlready, type StageExecutor, type StageInputOf } from './executor.js';
import { routeTraffic } from './elb/route-traffic.js';
import { ALL_PRIMARY } from './elb/weights.js';
import { liveSets } from './ecs/task-set.js';
import { isCreatedBy } from './ecs/identity.js';

/**
 * ECS_CANARY_CLEAN: traffic off the canary first, then delete the canary set(s) this deployment
 * created. A canary already gone is success (PipeCD v0 failed there). Sets an earlier deployment
 * left behind (it failed with autoRollback off) go too: nothing else ever removes them, and each one
 * keeps tasks running and counts against the service's task set limit.
 */
export const canaryClean: StageExecutor<'ECS_CANARY_CLEAN'> = {
  async start(input: StageInputOf<'ECS_CANARY_CLEAN'>, ports: StagePorts): Promise<StartResult> {
    const { plan } = input;
    const routed = await routeTraffic(plan, input.state, ports, ALL_PRIMARY, { requireRules: false });
    const { cluster, serviceName } = plan.serviceDefinition;
    const sets = liveSets(await ports.ecs.listTaskSets(cluster, serviceName));
    // Found by externalId as well as state, so a canary whose id was never recorded is not left serving.
    const canaries = sets.filter(
      (s) => s.id === input.state.canaryTaskSetId || (isCreatedBy(plan.deploymentId, s.externalId) && s.externalId?.endsWith(':canary')),
    );
    const leftovers = leftBehind(plan.deploymentId, sets, input.state.previousPrimaryTaskSetId).filter((s) => !canaries.includes(s));
    for (const canary of canaries) {
      await ports.ecs.deleteTaskSet(cluster, serviceName, canary.id);
      ports.log('deleted canary task set', { taskSetId: canary.id });
    }
    for (const set of leftovers) {
      await ports.ecs.deleteTaskSet(cluster, serviceName, set.id);
      ports.log('deleted task set left by an earlier deployment', { taskSetId: set.id, externalId: set.externalId });
    }
    const deleted = [...canaries, ...leftovers];
    const state = deleted.length > 0 ? { ...routed.state, touched: true } : routed.state;
    const parts = [
      canaries.length > 0 ? `deleted canary ${canaries.map((c) => c.id).join(', ')}` : 'no canary left to delete',
      ...(leftovers.length > 0 ? [`deleted ${leftovers.length} task set(s) left by earlier deployments (${leftovers.map((s) => s.id).join(', ')})`] : []),
    ];
    return { state, needsCheck: false, detail: parts.join('; ') };
  },
  check: doneAlready,
};

/**
 * Task sets of earlier deployments that are not serving as PRIMARY. The set that was PRIMARY when
 * this deployment began is kept (a canary-only pipeline leaves it serving, and rollback restores it).
 */
function leftBehind(deploymentId: string, sets: readonly TaskSetInfo[], previousPrimaryTaskSetId: string | undefined): TaskSetInfo[] {
  return sets.filter((s) => s.status !== 'PRIMARY' && s.id !== previousPrimaryTaskSetId && !isCreatedBy(deploymentId, s.externalId));
}
