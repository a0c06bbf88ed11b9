import { GetExecutionHistoryCommand, ListStateMachinesCommand, SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import type { ExecutionEvent, WorkflowAdminPort } from '../cli/ports.js';
import { wrapAwsError } from '../errors.js';
import type { AwsClientConfig } from './client-config.js';

/** WorkflowAdminPort over @aws-sdk/client-sfn: the read-only calls only the CLI makes. */
export function createSfnAdmin(config: AwsClientConfig | SFNClient): WorkflowAdminPort {
  const client = config instanceof SFNClient ? config : new SFNClient({ ...config, disableHostPrefix: true });
  return {
    async findStateMachineArn(name) {
      let nextToken: string | undefined;
      try {
        do {
          const page = await client.send(new ListStateMachinesCommand({ ...(nextToken ? { nextToken } : {}) }));
          const found = page.stateMachines?.find((m) => m.name === name);
          if (found?.stateMachineArn) return found.stateMachineArn;
          nextToken = page.nextToken;
        } while (nextToken);
      } catch (err) {
        throw wrapAwsError(`listing state machines to find ${name}`, err);
      }
      return undefined;
    },

    async executionHistory(executionArn) {
      const events: ExecutionEvent[] = [];
      let nextToken: string | undefined;
      try {
        do {
          const page = await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, ...(nextToken ? { nextToken } : {}) }));
          events.push(...(page.events ?? []).map(toExecutionEvent));
          nextToken = page.nextToken;
        } while (nextToken);
      } catch (err) {
        throw wrapAwsError(`reading the history of execution ${executionArn}`, err);
      }
      return events;
    },

    close: () => client.destroy(),
  };
}

/** The state an event concerns and, for failures, aborts and timeouts, the error and cause SFN gave. */
export function toExecutionEvent(e: HistoryEvent): ExecutionEvent {
  const state = e.stateEnteredEventDetails?.name ?? e.stateExitedEventDetails?.name;
  const failure =
    e.taskFailedEventDetails ??
    e.executionFailedEventDetails ??
    e.executionAbortedEventDetails ??
    e.taskTimedOutEventDetails ??
    e.executionTimedOutEventDetails ??
    e.lambdaFunctionFailedEventDetails;
  return {
    ...(e.timestamp ? { at: e.timestamp.toISOString() } : {}),
    type: e.type ?? 'Unknown',
    ...(state ? { state } : {}),
    ...(failure?.error ? { error: failure.error } : {}),
    ...(failure?.cause ? { cause: failure.cause } : {}),
  };
}
