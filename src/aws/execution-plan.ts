import { DescribeExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { DeploymentPlan } from '../domain/plan.js';
import { wrapAwsError } from '../errors.js';

/**
 * The plan a deployment ran: its execution's input (DescribeExecution), which SFN keeps for 90 days
 * after the execution ends. Undefined when the execution is gone or its input is not a plan.
 */
export function executionPlanReader(client: SFNClient) {
  return async function planOfExecution(executionArn: string): Promise<DeploymentPlan | undefined> {
    let input: string | undefined;
    try {
      input = (await client.send(new DescribeExecutionCommand({ executionArn }))).input;
    } catch (err) {
      if ((err as { name?: string }).name === 'ExecutionDoesNotExist') return undefined;
      throw wrapAwsError(`reading the input of execution ${executionArn}`, err);
    }
    if (!input) return undefined;
    const plan = JSON.parse(input) as Partial<DeploymentPlan>;
    return plan.deploymentId && plan.serviceDefinition ? (plan as DeploymentPlan) : undefined;
  };
}
