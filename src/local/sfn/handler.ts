import type { AwsRequest, AwsResponse, ServiceHandler } from '../aws-server.js';
import { SfnApiError } from './errors.js';
import type { ExecutionDescription, ExecutionStatus } from './execution.js';
import type { HistoryEvent } from './history.js';
import type { LocalSfn } from './local-sfn.js';

const TARGET_PREFIX = 'AWSStepFunctions.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';

type Body = Record<string, unknown>;
type Operation = (sfn: LocalSfn, body: Body) => unknown;

/**
 * The awsJson1_0 face of the local SFN: `x-amz-target: AWSStepFunctions.<Op>`, dates as epoch seconds,
 * errors as `{__type, message}` with HTTP 400, so @aws-sdk/client-sfn raises its modelled exceptions.
 */
export function sfnServiceHandler(sfn: LocalSfn): ServiceHandler {
  return async function handleSfnRequest(req: AwsRequest): Promise<AwsResponse | undefined> {
    if (!req.target?.startsWith(TARGET_PREFIX)) return undefined;
    const op = OPERATIONS[req.target.slice(TARGET_PREFIX.length)];
    try {
      if (!op) throw new SfnApiError('UnknownOperationException', `local SFN does not support ${req.target}`);
      return reply(200, op(sfn, parseBody(req.body)) ?? {});
    } catch (err) {
      if (err instanceof SfnApiError) return reply(400, { __type: err.code, message: err.message });
      throw err;
    }
  };
}

const OPERATIONS: Record<string, Operation> = {
  CreateStateMachine: (sfn, b) => {
    const r = sfn.createStateMachine({ name: str(b, 'name'), definition: str(b, 'definition'), roleArn: optStr(b, 'roleArn') });
    return { stateMachineArn: r.stateMachineArn, creationDate: seconds(r.creationDate) };
  },
  DescribeStateMachine: (sfn, b) => {
    const r = sfn.describeStateMachine(str(b, 'stateMachineArn'));
    return { ...r, status: 'ACTIVE', type: 'STANDARD', creationDate: seconds(r.creationDate) };
  },
  StartExecution: (sfn, b) => {
    const r = sfn.startExecution({ stateMachineArn: str(b, 'stateMachineArn'), name: optStr(b, 'name'), input: optStr(b, 'input') });
    return { executionArn: r.executionArn, startDate: seconds(r.startDate) };
  },
  DescribeExecution: (sfn, b) => wireExecution(sfn.describeExecution(str(b, 'executionArn'))),
  ListExecutions: (sfn, b) => {
    const all = sfn.listExecutions({ stateMachineArn: str(b, 'stateMachineArn'), statusFilter: optStr(b, 'statusFilter') as ExecutionStatus | undefined });
    const { items, nextToken } = page(all, b);
    return {
      executions: items.map((e) => {
        const { input: _input, output: _output, error: _error, cause: _cause, ...summary } = wireExecution(e);
        return summary;
      }),
      ...(nextToken && { nextToken }),
    };
  },
  StopExecution: (sfn, b) => ({
    stopDate: seconds(sfn.stopExecution(str(b, 'executionArn'), { error: optStr(b, 'error'), cause: optStr(b, 'cause') }).stopDate),
  }),
  SendTaskSuccess: (sfn, b) => sfn.sendTaskSuccess(str(b, 'taskToken'), str(b, 'output')),
  SendTaskFailure: (sfn, b) => sfn.sendTaskFailure(str(b, 'taskToken'), optStr(b, 'error'), optStr(b, 'cause')),
  SendTaskHeartbeat: (sfn, b) => sfn.sendTaskHeartbeat(str(b, 'taskToken')),
  GetExecutionHistory: (sfn, b) => {
    const events = sfn.history(str(b, 'executionArn'));
    const ordered = b.reverseOrder === true ? [...events].reverse() : events;
    const { items, nextToken } = page(ordered, b);
    return { events: items.map(wireHistoryEvent), ...(nextToken && { nextToken }) };
  },
};

function wireExecution(e: ExecutionDescription): Record<string, unknown> {
  return {
    ...e,
    startDate: seconds(e.startDate),
    ...(e.stopDate && { stopDate: seconds(e.stopDate) }),
    inputDetails: { included: true },
    ...(e.output !== undefined && { outputDetails: { included: true } }),
  };
}

function wireHistoryEvent(e: HistoryEvent): Record<string, unknown> {
  return {
    id: e.id,
    previousEventId: e.previousEventId,
    timestamp: e.timestamp / 1000,
    type: e.type,
    ...(e.details && { [e.details.key]: e.details.value }),
  };
}

/** maxResults/nextToken paging; the token is just the next offset, opaque to callers. */
function page<T>(all: T[], b: Body): { items: T[]; nextToken?: string } {
  const max = typeof b.maxResults === 'number' && b.maxResults > 0 ? b.maxResults : 1000;
  const start = typeof b.nextToken === 'string' ? Number.parseInt(b.nextToken, 10) || 0 : 0;
  const items = all.slice(start, start + max);
  return { items, ...(start + max < all.length && { nextToken: String(start + max) }) };
}

function parseBody(body: string): Body {
  if (!body.trim()) return {};
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Body;
  } catch (err) {
    throw new SfnApiError('SerializationException', `request body is not JSON: ${(err as Error).message}`, { cause: err });
  }
  throw new SfnApiError('SerializationException', 'request body must be a JSON object');
}

function str(b: Body, key: string): string {
  const v = b[key];
  if (typeof v !== 'string') throw new SfnApiError('ValidationException', `${key} is required`);
  return v;
}

function optStr(b: Body, key: string): string | undefined {
  const v = b[key];
  return typeof v === 'string' ? v : undefined;
}

function seconds(d: Date): number {
  return d.getTime() / 1000;
}

function reply(status: number, body: unknown): AwsResponse {
  return { status, headers: { 'content-type': CONTENT_TYPE }, body: JSON.stringify(body) };
}
