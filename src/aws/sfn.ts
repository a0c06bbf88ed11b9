import {
  DescribeExecutionCommand,
  SFNClient,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { ExecutionInfo, WorkflowPort } from '../domain/workflow.js';
import { InvalidStateError, wrapAwsError } from '../errors.js';
import type { AwsClientConfig } from './client-config.js';

/**
 * SFN's API prefixes the host with `sync-` for some operations; against a local endpoint that host
 * does not resolve, so the prefix is turned off (it changes nothing on AWS for the calls we make).
 */
export function createSfnClient(config: AwsClientConfig): SFNClient {
  return new SFNClient({ ...config, disableHostPrefix: true });
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
 * of `closed`), otherwise the error wrapped with what was being done. The token is never part of the
 * message: it is a credential to resume the execution.
 */
export async function sendTaskResult(doing: string, send: () => Promise<unknown>, closed: ReadonlySet<string> = CLOSED_TASK_ERRORS): Promise<boolean> {
  try {
    await send();
    return true;
  } catch (err) {
    if (closed.has(errorName(err) ?? '')) return false;
    throw wrapAwsError(doing, err);
  }
}

function errorName(err: unknown): string | undefined {
  return (err as { name?: string })?.name;
}

/** WorkflowPort over Step Functions; the same class drives AWS and the local SFN facade. */
export class SfnWorkflow implements WorkflowPort {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  /**
   * StartExecution is idempotent only while an execution with the same name and input runs; a
   * redelivered webhook can also arrive after it finished, or with a re-rendered input. In every
   * such case SFN answers ExecutionAlreadyExists, and the execution that exists is the answer.
   */
  async startExecution(name: string, input: unknown): Promise<{ executionArn: string; startedAt: string }> {
    try {
      const out = await this.client.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify(input) }));
      return {
        executionArn: out.executionArn ?? executionArnFor(this.stateMachineArn, name),
        startedAt: toIso(out.startDate, 'startDate'),
      };
    } catch (err) {
      if (errorName(err) !== 'ExecutionAlreadyExists') throw wrapAwsError(`starting execution ${name}`, err);
    }
    const existing = await this.describeExecution(executionArnFor(this.stateMachineArn, name));
    if (!existing) {
      throw new InvalidStateError(`execution ${name} was reported to exist but cannot be described`);
    }
    return { executionArn: existing.executionArn, startedAt: existing.startDate };
  }

  async describeExecution(executionArn: string): Promise<ExecutionInfo | undefined> {
    try {
      const out = await this.client.send(new DescribeExecutionCommand({ executionArn }));
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
      if (errorName(err) === 'ExecutionDoesNotExist') return undefined;
      throw wrapAwsError(`describing execution ${executionArn}`, err);
    }
  }

  async stopExecution(executionArn: string, error: string, cause: string): Promise<void> {
    try {
      await this.client.send(new StopExecutionCommand({ executionArn, error, cause }));
    } catch (err) {
      throw wrapAwsError(`stopping execution ${executionArn}`, err);
    }
  }

  /**
   * TaskTimedOut (and TaskDoesNotExist) is what SFN answers for a token that timed out or was already
   * used, or whose execution ended: the task is "already closed", which callers report to the user
   * rather than fail on. InvalidToken (a token SFN never issued) is a bug or tampering and is thrown.
   */
  async sendTaskSuccess(taskToken: string, output: unknown): Promise<boolean> {
    return sendTaskResult('completing a task', () => this.client.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output ?? {}) })));
  }

  async sendTaskFailure(taskToken: string, error: string, cause: string): Promise<boolean> {
    return sendTaskResult(`failing a task with ${error}`, () => this.client.send(new SendTaskFailureCommand({ taskToken, error, cause })));
  }
}

/** SFN always returns these dates; a missing one is a broken endpoint, not a time to invent. */
function toIso(date: Date | undefined, field: string): string {
  if (!date) throw new InvalidStateError(`Step Functions returned no ${field}`);
  return date.toISOString();
}
