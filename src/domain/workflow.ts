/**
 * Port over Step Functions as the rest of stepcd uses it. `src/aws/sfn.ts` implements it with
 * @aws-sdk/client-sfn; locally the same adapter talks to the local SFN facade.
 */
export interface WorkflowPort {
  /** Idempotent while the execution runs: the same name and input return the same ARN. */
  startExecution(name: string, input: unknown): Promise<{ executionArn: string; startedAt: string }>;
  describeExecution(executionArn: string): Promise<ExecutionInfo | undefined>;
  stopExecution(executionArn: string, error: string, cause: string): Promise<void>;
  /** Returns false (not an error) when the token was already used or timed out: "already closed". */
  sendTaskSuccess(taskToken: string, output: unknown): Promise<boolean>;
  sendTaskFailure(taskToken: string, error: string, cause: string): Promise<boolean>;
}

export interface ExecutionInfo {
  executionArn: string;
  name: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';
  startDate: string;
  stopDate?: string;
  error?: string;
  cause?: string;
}
