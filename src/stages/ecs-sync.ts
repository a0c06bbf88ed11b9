import { InvalidStateError } from '../errors.js';
import type { CheckResult, StartResult } from './types.js';
import type { StagePorts } from './ports.js';
import type { StageExecutor, StageInputOf } from './executor.js';
import { taskSetStability } from './ecs/stability.js';
import { startRollout } from './ecs/start-rollout.js';
import { liveSets } from './ecs/task-set.js';
import { routeTraffic } from './elb/route-traffic.js';
import { ALL_PRIMARY } from './elb/weights.js';

/**
 * ECS_SYNC (quick sync): a 100% task set of the new version, made PRIMARY once steady, with all
 * traffic on primary and every older set removed.
 */
export const ecsSync: StageExecutor<'ECS_SYNC'> = {
  async start(input: StageInputOf<'ECS_SYNC'>, ports: StagePorts): Promise<StartResult> {
    const created = await startRollout(input, ports, { role: 'primary', scalePercent: 100 });
    return { state: { ...created.state, primaryTaskSetId: created.taskSetId }, needsCheck: true, detail: `task set ${created.taskSetId} at 100%` };
  },

  async check(input: StageInputOf<'ECS_SYNC'>, ports: StagePorts): Promise<CheckResult> {
    const { plan, stage } = input;
    const taskSetId = input.state.primaryTaskSetId;
    if (!taskSetId) throw new InvalidStateError('ECS_SYNC check ran before start recorded its task set');
    const stability = await taskSetStability(plan, ports, taskSetId, input.startedAt, stage.with.stableTimeoutSeconds);
    if (stability.status === 'failed') return { status: 'failed', state: input.state, error: stability.error };
    if (stability.status === 'pending') return { status: 'pending', state: input.state, detail: stability.detail };
    return { status: 'done', ...(await promoteAndPrune(input, ports, taskSetId)) };
  },
};

/** Steps 4–6 of quick sync, each skipped when already true so a repeated check changes nothing. */
async function promoteAndPrune(input: StageInputOf<'ECS_SYNC'>, ports: StagePorts, taskSetId: string) {
  const { plan } = input;
  const { cluster, serviceName } = plan.serviceDefinition;
  let state = { ...input.state, touched: true };
  const before = liveSets(await ports.ecs.listTaskSets(cluster, serviceName));
  if (before.find((s) => s.id === taskSetId)?.status !== 'PRIMARY') {
    await ports.ecs.setPrimaryTaskSet(cluster, serviceName, taskSetId);
    ports.log('made task set PRIMARY', { taskSetId });
  }
  state = (await routeTraffic(plan, state, ports, ALL_PRIMARY, { requireRules: false })).state;
  const older = before.filter((s) => s.id !== taskSetId);
  for (const set of older) {
    await ports.ecs.deleteTaskSet(cluster, serviceName, set.id);
    ports.log('deleted older task set', { taskSetId: set.id, taskDefinitionArn: set.taskDefinitionArn });
  }
  return { state, detail: `task set ${taskSetId} is PRIMARY; deleted ${older.length} older task set(s)` };
}
