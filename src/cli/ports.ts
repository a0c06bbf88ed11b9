/**
 * The read-only ports only the CLI uses: execution history and state-machine lookup (Step Functions)
 * and the live service with its PRIMARY task definition (ECS). `src/aws/sfn-admin.ts` and
 * `src/aws/ecs-read.ts` implement them; commands never see an SDK shape.
 */

/** One Step Functions history event, reduced to what `stepcd logs` shows. */
export interface ExecutionEvent {
  /** ISO timestamp; absent only if SFN sent none. */
  at?: string;
  type: string;
  /** The state entered or exited, for state events. */
  state?: string;
  /** For failure, abort and timeout events. */
  error?: string;
  cause?: string;
}

export interface WorkflowAdminPort {
  /** The ARN of the state machine with this exact name, or undefined when the account has none. */
  findStateMachineArn(name: string): Promise<string | undefined>;
  /** Every event of the execution, oldest first (all pages). */
  executionHistory(executionArn: string): Promise<ExecutionEvent[]>;
  /** Releases the client's connections, so the CLI process can exit. */
  close(): void;
}

/**
 * A live service as DescribeServices returns it and the PRIMARY task set's task definition as
 * DescribeTaskDefinition returns it: plain JSON in AWS API shape (camelCase, tags as `[{key, value}]`),
 * the same shape as servicedef.yaml and taskdef.yaml, so `stepcd plan` can diff them field by field.
 */
export interface LiveService {
  service: Record<string, unknown>;
  primaryTaskDefinitionArn?: string;
  /** Absent when the service has no PRIMARY task set yet. */
  taskDefinition?: Record<string, unknown>;
}

export interface LiveEcsReader {
  /** The ACTIVE (or DRAINING) service and its live task definition; undefined when the service or its cluster is missing. */
  describeLive(cluster: string, serviceName: string): Promise<LiveService | undefined>;
  close(): void;
}
