import type { DeploymentState } from '../../domain/deployment.js';
import type { DeploymentPlan } from '../../domain/plan.js';
import { NotExternalError } from '../../errors.js';
import { stepcdTags } from './identity.js';
import type { StagePorts } from '../ports.js';
import { definitionTags, serviceUpdates, splitServiceDefinition } from './service-definition.js';

/**
 * Creates the service with the EXTERNAL controller when it is missing, otherwise updates only the
 * fields UpdateService may change. A service tagged with this deployment id was created by an
 * earlier try of this deployment, which rollback needs to know (it may then remove it).
 */
export async function ensureService(plan: DeploymentPlan, state: DeploymentState, ports: StagePorts): Promise<DeploymentState> {
  const { cluster, serviceName } = plan.serviceDefinition;
  const live = await ports.ecs.findService(cluster, serviceName);
  if (!live) {
    const { service } = splitServiceDefinition(plan.serviceDefinition);
    const created = await ports.ecs.createService(service, { ...definitionTags(plan.serviceDefinition), ...stepcdTags(plan) });
    ports.log('created service', { serviceArn: created.arn });
    return { ...state, serviceCreated: true, touched: true };
  }
  if (live.deploymentController !== 'EXTERNAL') {
    throw new NotExternalError(
      `service ${serviceName} in ${cluster} uses the ${live.deploymentController} deployment controller; stepcd needs EXTERNAL (recreate the service with deploymentController.type: EXTERNAL)`,
    );
  }
  const createdByThisDeployment = live.tags['stepcd:deployment'] === plan.deploymentId;
  let next: DeploymentState = createdByThisDeployment ? { ...state, serviceCreated: true } : state;
  const update = serviceUpdates(live, plan.serviceDefinition);
  if (update) {
    await ports.ecs.updateService(cluster, serviceName, update);
    ports.log('updated service', { serviceArn: live.arn, update });
    next = { ...next, touched: true };
  }
  return next;
}
