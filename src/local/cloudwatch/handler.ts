import type { AwsRequest, AwsResponse, ServiceHandler } from '../aws-server.js';
import { ALARM_STATES, type AlarmState, type LocalAlarm, type LocalAlarms } from './alarms.js';

const TARGET_PREFIX = 'GraniteServiceVersion20100801.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
/** CloudWatch's limit on AlarmNames in DescribeAlarms and DeleteAlarms. */
const MAX_NAMES = 100;

type Body = Record<string, unknown>;
type Operation = (alarms: LocalAlarms, body: Body) => AwsResponse;

class ClientError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const OPERATIONS: Record<string, Operation> = {
  PutMetricAlarm(alarms, body) {
    const { AlarmName: name, ...definition } = body;
    alarms.put(requiredName(name, 'AlarmName'), definition);
    return reply(200, {});
  },
  DescribeAlarms(alarms, body) {
    const names = nameList(body.AlarmNames, 'AlarmNames', false);
    return reply(200, { MetricAlarms: alarms.describe(names).map(wireAlarm), CompositeAlarms: [] });
  },
  SetAlarmState(alarms, body) {
    const name = requiredName(body.AlarmName, 'AlarmName');
    const state = body.StateValue as AlarmState;
    if (!ALARM_STATES.includes(state)) throw new ClientError('InvalidParameterValue', `StateValue must be one of ${ALARM_STATES.join(', ')}`);
    if (typeof body.StateReason !== 'string') throw new ClientError('MissingParameter', 'The parameter StateReason is required.');
    if (!alarms.setState(name, state, body.StateReason)) throw new ClientError('ResourceNotFound', `Alarm ${name} does not exist`, 404);
    return reply(200, {});
  },
  DeleteAlarms(alarms, body) {
    const missing = alarms.delete(nameList(body.AlarmNames, 'AlarmNames', true) ?? []);
    if (missing.length > 0) throw new ClientError('ResourceNotFound', `${missing.join(', ')} not found`, 404);
    return reply(200, {});
  },
};

/**
 * awsJson1_0 CloudWatch (`GraniteServiceVersion20100801.*`): the alarm operations stepcd and its
 * tests use. `calls` counts operations by name, so a test can assert a stage read and did not write.
 */
export function cloudWatchServiceHandler(alarms: LocalAlarms, calls: string[]): ServiceHandler {
  return async function handleCloudWatch(req: AwsRequest): Promise<AwsResponse | undefined> {
    if (!req.target?.startsWith(TARGET_PREFIX)) return undefined;
    const op = req.target.slice(TARGET_PREFIX.length);
    const operation = OPERATIONS[op];
    if (!operation) return errorReply(new ClientError('UnknownOperationException', `local CloudWatch does not support ${op}`));
    calls.push(op);
    try {
      return operation(alarms, parseBody(req.body));
    } catch (err) {
      if (err instanceof ClientError) return errorReply(err);
      throw err;
    }
  };
}

function parseBody(raw: string): Body {
  try {
    const body: unknown = JSON.parse(raw || '{}');
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Body;
  } catch {
    // reported below
  }
  throw new ClientError('SerializationException', 'request body is not a JSON object');
}

function requiredName(raw: unknown, field: string): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 255) {
    throw new ClientError('InvalidParameterValue', `${field} must be a string of 1 to 255 characters`);
  }
  return raw;
}

function nameList(raw: unknown, field: string, required: boolean): string[] | undefined {
  if (raw === undefined && !required) return undefined;
  if (!Array.isArray(raw) || (required && raw.length === 0) || raw.length > MAX_NAMES) {
    throw new ClientError('InvalidParameterValue', `${field} must hold ${required ? 1 : 0} to ${MAX_NAMES} names`);
  }
  return raw.map((n) => requiredName(n, field));
}

function wireAlarm(a: LocalAlarm): Record<string, unknown> {
  return {
    ...a.definition,
    AlarmName: a.name,
    AlarmArn: a.arn,
    StateValue: a.state,
    StateReason: a.reason,
    // awsJson timestamps are epoch seconds.
    StateUpdatedTimestamp: a.stateUpdatedAt / 1000,
  };
}

function reply(status: number, body: unknown): AwsResponse {
  return { status, headers: { 'content-type': CONTENT_TYPE }, body: JSON.stringify(body) };
}

function errorReply(err: ClientError): AwsResponse {
  return reply(err.status, { __type: err.type, message: err.message });
}
