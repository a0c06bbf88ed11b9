import type { DeploymentState } from '../domain/deployment.js';

/**
 * The deployment state rollback should work from: what the execution carries, plus whatever the
 * record knows that it lost (a stage Lambda that threw, or was still running when the execution was
 * stopped, persisted its state but never returned it). Lists are unions; a flag set in either holds.
 */
export function mergeStates(persisted: DeploymentState | undefined, carried: DeploymentState): DeploymentState {
  if (!persisted) return carried;
  return {
    ...persisted,
    ...carried,
    createdTaskSetIds: [...new Set([...persisted.createdTaskSetIds, ...carried.createdTaskSetIds])],
    routedRuleArns: [...new Set([...persisted.routedRuleArns, ...carried.routedRuleArns])],
    touched: persisted.touched || carried.touched,
    ...(persisted.serviceCreated || carried.serviceCreated ? { serviceCreated: true } : {}),
  };
}
