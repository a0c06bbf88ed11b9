import type {
  DescribeExecutionInput,
  DescribeExecutionOutput,
  SendTaskFailureInput,
  SendTaskSuccessInput,
  StartExecutionInput,
  StartExecutionOutput,
  StopExecutionInput,
} from '@aws-sdk/client-sfn';
import type { ExecutionInfo, WorkflowPort } from '../domain/workflow.js';
import { InvalidStateError } from '../errors.js';
import type { AwsClientConfig } from './client-config.js';
import { awsErrorCode, jsonRpcClient, type JsonRpcClient } from './json-rpc.js';

/** The Step Functions operations the functions call, in the SDK's shapes (dates as Date). */
export type SfnOperations = {
  StartExecution: [StartExecutionInput, StartExecutionOutput];
  DescribeExecution: [DescribeExecutionInput, DescribeExecutionOutput];
  StopExecution: [StopExecutionInput, object];
  SendTaskSuccess: [SendTaskSuccessInput, object];
  SendTaskFailure: [SendTaskFailureInput, object];
};

/**
 * Step Functions for the functions: each operation one signed awsJson1_0 request, as for the
 * history table (dynamodb.ts), since these five calls were all the generated client was there
 * for. A failed call throws as callJsonRpc does, AWS's error code (`ExecutionAlreadyExists`) as the
 * cause. The CLI's listings (sfn-admin.ts) keep the SDK client.
 */
export type SfnClient = JsonRpcClient<SfnOperations>;

/** awsJson1_0 carries timestamps as epoch seconds. */
const DATE_FIELDS = ['startDate', 'stopDate'] as const;
const toDate = (value: unknown) => new Date(typeof value === 'number' ? value * 1000 : String(value));

export function createSfnClient(config: AwsClientConfig): SfnClient {
  return jsonRpcClient({ service: 'states', targetPrefix: 'AWSStepFunctions', protocol: '1.0', fromWire: withDates }, config);
}

function withDates(reply: Record<string, unknown>): Record<string, unknown> {
  for (const field of DATE_FIELDS) if (reply[field] !== undefined) reply[field] = toDate(reply[field]);
  return reply;
}

/**
 * The ARN StartExecution gives an execution named `name` of a standard state machine:
 * `arn:<partition>:states:<region>:<account>:stateMachine:<sm>` → `…:execution:<sm>:<name>`.
 */
export function executionArnFor(stateMachineArn: string, name: string): string {
  const m = /^(arn:[^:]+:states:[^:]*:[^:]*):stateMachine:([^:]+)$/.exec(stateMachineArn);
  if (!m) throw new InvalidStateError(`not a state machine ARN: ${stateMachineArn}`);
  return `${m[1]}:execution:${m[2]}:${name}`;
}

/** SendTask* answers for a task that is no longer waiting. */
const CLOSED_TASK_ERRORS: ReadonlySet<string> = new Set(['TaskTimedOut', 'TaskDoesNotExist']);

/**
 * Sends one SendTaskSuccess/Failure: true when it was taken, false when the task no longer waits (one
 * of `closed`), otherwise the error, which says what was being done. The token is never part of the
 * message: it is a credential to resume the execution.
 */
export async function sendTaskResult(send: () => Promise<unknown>, closed: ReadonlySet<string> = CLOSED_TASK_ERRORS): Promise<boolean> {
  try {
    await send();
    return true;
  } catch (err) {
    if (closed.has(awsErrorCode(err) ?? '')) return false;
    throw err;
  }
}

/** WorkflowPort over Step Functions; the same class drives AWS and the local SFN facade. */
export class SfnWorkflow implements WorkflowPort {
  constructor(
    private readonly client: SfnClient,
    private readonly stateMachineArn: string,
  ) {}

  /**
   * StartExecution is idempotent only while an execution with the same name and input runs; a
   * redelivered webhook can also arrive after it finished, or with a re-rendered input. In every
   * such case SFN answers ExecutionAlreadyExists, and the execution that exists is the answer.
   */
  async startExecution(name: string, input: unknown): Promise<{ executionArn: string; startedAt: string }> {
    try {
      const out = await this.client.send(
        'StartExecution',
        { stateMachineArn: this.stateMachineArn, name, input: JSON.stringify(input) },
        `starting execution ${name}`,
      );
      return {
        executionArn: out.executionArn ?? executionArnFor(this.stateMachineArn, name),
        startedAt: toIso(out.startDate, 'startDate'),
      };
    } catch (err) {
      if (awsErrorCode(err) !== 'ExecutionAlreadyExists') throw err;
    }
    const existing = await this.describeExecution(executionArnFor(this.stateMachineArn, name));
    if (!existing) {
      throw new InvalidStateError(`execution ${name} was reported to exist but cannot be described`);
    }
    return { executionArn: existing.executionArn, startedAt: existing.startDate };
  }

  async describeExecution(executionArn: string): Promise<ExecutionInfo | undefined> {
    try {
      const out = await this.client.send('DescribeExecution', { executionArn }, `describing execution ${executionArn}`);
      return {
        executionArn: out.executionArn ?? executionArn,
        name: out.name ?? executionArn.split(':').pop() ?? '',
        status: out.status as ExecutionInfo['status'],
        startDate: toIso(out.startDate, 'startDate'),
        ...(out.stopDate && { stopDate: toIso(out.stopDate, 'stopDate') }),
        ...(out.error !== undefined && { error: out.error }),
        ...(out.cause !== undefined && { cause: out.cause }),
      };
    } catch (err) {
      if (awsErrorCode(err) === 'ExecutionDoesNotExist') return undefined;
      throw err;
    }
  }

  async stopExecution(executionArn: string, error: string, cause: string): Promise<void> {
    await this.client.send('StopExecution', { executionArn, error, cause }, `stopping execution ${executionArn}`);
  }

  /**
   * TaskTimedOut (and TaskDoesNotExist) is what SFN answers for a token that timed out or was already
   * used, or whose execution ended: the task is "already closed", which callers report to the user
   * rather than fail on. InvalidToken (a token SFN never issued) is a bug or tampering and is thrown.
   */
  async sendTaskSuccess(taskToken: string, output: unknown): Promise<boolean> {
    return sendTaskResult(() => this.client.send('SendTaskSuccess', { taskToken, output: JSON.stringify(output ?? {}) }, 'completing a task'));
  }

  async sendTaskFailure(taskToken: string, error: string, cause: string): Promise<boolean> {
    return sendTaskResult(() => this.client.send('SendTaskFailure', { taskToken, error, cause }, `failing a task with ${error}`));
  }
}

/** SFN always returns these dates; a missing one is a broken endpoint, not a time to invent. */
function toIso(date: Date | undefined, field: string): string {
  if (!date) throw new InvalidStateError(`Step Functions returned no ${field}`);
  return date.toISOString();
}
