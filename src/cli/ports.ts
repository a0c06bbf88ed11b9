/**
 * The read-only ports only the CLI uses: execution history and state-machine lookup (Step Functions),
 * implemented by `src/aws/sfn-admin.ts`; commands never see an SDK shape. The live service read that
 * `stepcd plan` shares with pull-request checks is src/plan/preview.ts's LiveEcsReader.
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
