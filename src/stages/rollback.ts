import { StabilizeFailedError } from '../errors.js';
import type { RollbackInput, RollbackResult } from './types.js';
import type { StagePorts } from './ports.js';
import { nextRollbackAction, type RollbackAction } from './ecs/rollback-actions.js';
import { routeTraffic, targetGroupPair } from './elb/route-traffic.js';
import { ALL_PRIMARY, canaryHasTraffic } from './elb/weights.js';
import { ensureTaskSet, liveSets } from './ecs/task-set.js';
import { taskSetStability } from './ecs/stability.js';
import { stopRunTasks } from './ecs/standalone-task.js';

/** How long a restored set may take to stabilise before rollback reports it cannot. */
const RESTORE_STABLE_TIMEOUT_SECONDS = 1800;

/**
 * One idempotent rollback step. The ASL calls it in a Wait loop until `done`; each call reads the
 * live world, asks `nextRollbackAction` what comes next and does it. Actions that finish quickly are
 * chained within one call; waiting for a restored set to stabilise returns `done: false`.
 */
export async function rollbackStep(input: RollbackInput, ports: StagePorts): Promise<RollbackResult> {
  let state = input.state;
  if (input.plan.standalone) {
    // A standalone app has no service or traffic: its task is all there is to undo.
    const stopped = await stopRunTasks(input.plan, state, ports);
    return { state, done: true, summary: stopped > 0 ? `stopped the standalone task (${stopped})` : 'nothing to roll back: the standalone task had stopped' };
  }
  // Bounded: each action changes the world so that the next decision differs.
  for (let step = 0; step < 10; step += 1) {
    const action = nextRollbackAction(await gatherFacts(input, state, ports));
    ports.log('rollback step', { action: action.kind });
    if (action.kind === 'done') {
      // Last, after traffic and task sets: a migration task still running is stopped.
      const stopped = await stopRunTasks(input.plan, state, ports);
      return { state, done: true, summary: stopped > 0 ? `${action.summary}; stopped ${stopped} ECS_RUN_TASK task(s)` : action.summary };
    }
    const outcome = await perform(action, { ...input, state }, ports);
    state = outcome.state;
    if (outcome.wait) return { state, done: false, summary: outcome.summary ?? 'rollback in progress' };
  }
  return { state, done: false, summary: 'rollback in progress' };
}

async function gatherFacts(input: RollbackInput, state: RollbackInput['state'], ports: StagePorts) {
  const { plan } = input;
  const { cluster, serviceName } = plan.serviceDefinition;
  const found = await ports.ecs.findService(cluster, serviceName);
  // A DRAINING service is on its way out (rollback deleted it); nothing in it needs handling.
  const service = found?.status === 'ACTIVE' ? found : undefined;
  const taskSets = service ? liveSets(await ports.ecs.listTaskSets(cluster, serviceName)) : [];
  const pair = targetGroupPair(plan);
  const rules = pair ? await ports.elb.findForwardRules(pair.primary, pair.canary) : [];
  return {
    deploymentId: plan.deploymentId,
    state,
    ...(input.lastGood ? { lastGood: input.lastGood } : {}),
    taskSets,
    canaryHasTraffic: canaryHasTraffic(rules),
    serviceExists: service !== undefined,
    serviceDraining: found?.status === 'DRAINING',
    // The tag survives a stage Lambda that created the service and then threw before saving state.
    serviceCreatedHere: found?.tags['stepcd:deployment'] === plan.deploymentId,
  };
}

async function perform(
  action: Exclude<RollbackAction, { kind: 'done' }>,
  input: RollbackInput,
  ports: StagePorts,
): Promise<{ state: RollbackInput['state']; wait?: boolean; summary?: string }> {
  const { plan } = input;
  const { cluster, serviceName } = plan.serviceDefinition;
  switch (action.kind) {
    case 'route-primary':
      return { state: (await routeTraffic(plan, input.state, ports, ALL_PRIMARY, { requireRules: false })).state };
    case 'create-restore-set': {
      const created = await ensureTaskSet(plan, input.state, ports, {
        stageIndex: 'rollback',
        role: 'primary',
        scalePercent: 100,
        taskDefinitionArn: action.taskDefinitionArn,
      });
      // The restore set is the app's version again, not something this deployment leaves behind.
      const state = { ...created.state, createdTaskSetIds: input.state.createdTaskSetIds };
      return { state, wait: true, summary: `restoring ${action.taskDefinitionArn} in task set ${created.taskSet.id}` };
    }
    case 'wait-stable': {
      const stability = await taskSetStability(plan, ports, action.taskSetId, input.startedAt, RESTORE_STABLE_TIMEOUT_SECONDS);
      if (stability.status === 'failed')
        throw new StabilizeFailedError(`rollback could not restore the last good version: ${stability.error.message}`, { cause: stability.error });
      return { state: input.state, wait: stability.status === 'pending', summary: stability.detail };
    }
    case 'make-primary':
      await ports.ecs.setPrimaryTaskSet(cluster, serviceName, action.taskSetId);
      ports.log('rollback made task set PRIMARY', { taskSetId: action.taskSetId });
      return { state: { ...input.state, touched: true } };
    case 'delete-task-sets':
      for (const id of action.taskSetIds) {
        await ports.ecs.deleteTaskSet(cluster, serviceName, id);
        ports.log('rollback deleted task set', { taskSetId: id });
      }
      return { state: { ...input.state, touched: true } };
    case 'delete-service':
      await ports.ecs.deleteService(cluster, serviceName);
      ports.log('rollback deleted service created by this deployment', { cluster, serviceName });
      // Known from its tag even when the stage that created it never saved its state.
      return { state: { ...input.state, touched: true, serviceCreated: true } };
    case 'wait-service-gone':
      return { state: input.state, wait: true, summary: `waiting for service ${serviceName} to finish draining` };
  }
}
