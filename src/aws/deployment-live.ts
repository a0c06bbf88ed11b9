import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { LiveDeployment, LiveDeploymentReader } from '../dashboard/ports.js';
import type { DeploymentPlan } from '../domain/plan.js';
import type { AwsClientConfig } from './client-config.js';
import { createEcsAdapter } from './ecs.js';
import { createElbAdapter } from './elbv2.js';
import { createSfnClient } from './sfn.js';

type PlanTarget = Pick<DeploymentPlan, 'serviceDefinition' | 'targetGroups'>;

/**
 * LiveDeploymentReader over the SDK: the execution's input says which service and target groups the
 * deployment works on (the record does not), then the read-only halves of the stage adapters list the
 * task sets and the weighted rules. Inputs never change, so each is fetched once per execution.
 */
export function createDeploymentLiveReader(clients: {
  sfn: AwsClientConfig;
  ecs: AwsClientConfig;
  elbv2: AwsClientConfig;
}): LiveDeploymentReader & { close(): void } {
  const sfn = createSfnClient(clients.sfn);
  const ecsClient = new ECSClient(clients.ecs);
  const elbClient = new ElasticLoadBalancingV2Client(clients.elbv2);
  const ecs = createEcsAdapter(ecsClient);
  const elb = createElbAdapter(elbClient);
  const plans = new Map<string, Promise<PlanTarget | undefined>>();

  async function planOf(executionArn: string): Promise<PlanTarget | undefined> {
    const out = await sfn.send('DescribeExecution', { executionArn }, `reading the input of execution ${executionArn}`);
    const plan = JSON.parse(out.input ?? '{}') as Partial<PlanTarget>;
    return plan.serviceDefinition?.cluster && plan.serviceDefinition.serviceName
      ? { serviceDefinition: plan.serviceDefinition, targetGroups: plan.targetGroups ?? {} }
      : undefined;
  }

  /** A first deployment's service (or cluster) may not exist yet: no task sets, not an error. */
  async function taskSetsOf(cluster: string, serviceName: string) {
    try {
      return await ecs.listTaskSets(cluster, serviceName);
    } catch (err) {
      const name = ((err as { cause?: { name?: string } }).cause?.name ?? '') as string;
      if (name === 'ServiceNotFoundException' || name === 'ClusterNotFoundException' || name === 'ServiceNotActiveException') return [];
      throw err;
    }
  }

  return {
    async read(record): Promise<LiveDeployment | undefined> {
      const arn = record.executionArn;
      if (!arn) return undefined;
      let pending = plans.get(arn);
      if (!pending) {
        pending = planOf(arn);
        plans.set(arn, pending);
        // A failed read is asked again next time rather than remembered.
        pending.catch(() => plans.delete(arn));
      }
      const plan = await pending;
      if (!plan) return undefined;
      const { cluster, serviceName } = plan.serviceDefinition;
      const primary = plan.targetGroups.primary?.targetGroupArn;
      const canary = plan.targetGroups.canary?.targetGroupArn;
      const [taskSets, rules] = await Promise.all([
        taskSetsOf(cluster, serviceName),
        primary && canary ? elb.findForwardRules(primary, canary) : Promise.resolve([]),
      ]);
      return { cluster, serviceName, taskSets, rules, targetGroups: { ...(primary ? { primary } : {}), ...(canary ? { canary } : {}) } };
    },
    close() {
      ecsClient.destroy();
      elbClient.destroy();
    },
  };
}
