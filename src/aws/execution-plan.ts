import type { DeploymentPlan } from '../domain/plan.js';
import { awsErrorCode } from './json-rpc.js';
import type { SfnClient } from './sfn.js';

/**
 * The plan a deployment ran: its execution's input (DescribeExecution), which SFN keeps for 90 days
 * after the execution ends. Undefined when the execution is gone or its input is not a plan.
 */
export function executionPlanReader(client: SfnClient) {
  return async function planOfExecution(executionArn: string): Promise<DeploymentPlan | undefined> {
    let input: string | undefined;
    try {
      input = (await client.send('DescribeExecution', { executionArn }, `reading the input of execution ${executionArn}`)).input;
    } catch (err) {
      if (awsErrorCode(err) === 'ExecutionDoesNotExist') return undefined;
      throw err;
    }
    if (!input) return undefined;
    const plan = JSON.parse(input) as Partial<DeploymentPlan>;
    return plan.deploymentId && plan.serviceDefinition ? (plan as DeploymentPlan) : undefined;
  };
}
