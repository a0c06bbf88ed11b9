import type { AwsRequest, AwsResponse } from '../../aws-server.js';
import { ApiError } from '../errors.js';
import { toXml } from './xml.js';

/** awsQuery as ELBv2 speaks it: a form body with `Action=<Op>&Version=2015-12-01`, XML replies. */
export const ELBV2_VERSION = '2015-12-01';
const XMLNS = `http://elasticloadbalancing.amazonaws.com/doc/${ELBV2_VERSION}/`;
const XML_HEADERS = { 'content-type': 'text/xml' };

/** A decoded query value: a string leaf, a structure, or a list (from `X.member.N`). */
export type QueryValue = string | QueryValue[] | { [key: string]: QueryValue };
export type QueryStruct = { [key: string]: QueryValue };

export interface QueryRequest {
  action: string;
  params: QueryStruct;
}

/** Recognises an ELBv2 request; anything else (another awsQuery service, JSON) is not ours. */
export function parseElbv2Request(req: AwsRequest): QueryRequest | undefined {
  if (req.target || !req.contentType.includes('x-www-form-urlencoded')) return undefined;
  const form = new URLSearchParams(req.body);
  const action = form.get('Action');
  if (!action || form.get('Version') !== ELBV2_VERSION) return undefined;
  const params: QueryStruct = {};
  for (const [key, value] of form) {
    if (key === 'Action' || key === 'Version') continue;
    setPath(params, key.split('.'), value);
  }
  return { action, params };
}

/**
 * Places one flattened key (`DefaultActions.member.1.ForwardConfig.TargetGroups.member.2.Weight`) into
 * the tree; `member.N` becomes list index N-1.
 */
function setPath(root: QueryStruct, parts: string[], value: string): void {
  let container: QueryStruct | QueryValue[] = root;
  let i = 0;
  while (i < parts.length) {
    const isList = parts[i + 1] === 'member' && i + 2 < parts.length;
    const key = parts[i] as string;
    const isLast = isList ? i + 3 >= parts.length : i + 1 >= parts.length;
    const slot = isList ? Number(parts[i + 2]) - 1 : undefined;
    if (isList) {
      const existing = readSlot(container, key);
      const list: QueryValue[] = Array.isArray(existing) ? existing : [];
      writeSlot(container, key, list);
      if (isLast) {
        list[slot as number] = value;
        return;
      }
      const item = list[slot as number];
      const struct: QueryStruct = typeof item === 'object' && !Array.isArray(item) ? item : {};
      list[slot as number] = struct;
      container = struct;
      i += 3;
      continue;
    }
    if (isLast) {
      // A list/struct already built from deeper keys wins over an empty marker such as `Conditions=`.
      if (readSlot(container, key) === undefined) writeSlot(container, key, value);
      return;
    }
    const existing = readSlot(container, key);
    const struct: QueryStruct = typeof existing === 'object' && !Array.isArray(existing) ? existing : {};
    writeSlot(container, key, struct);
    container = struct;
    i += 1;
  }
}

function readSlot(container: QueryStruct | QueryValue[], key: string): QueryValue | undefined {
  return Array.isArray(container) ? undefined : container[key];
}
function writeSlot(container: QueryStruct | QueryValue[], key: string, value: QueryValue): void {
  if (!Array.isArray(container)) container[key] = value;
}

// Typed readers over a decoded tree. An empty string where a list is expected is the empty list.
export function qList(value: QueryValue | undefined): QueryValue[] | undefined {
  if (value === undefined) return undefined;
  if (value === '') return [];
  if (!Array.isArray(value)) throw new ApiError('ValidationError', 'expected a list');
  return value.filter((v) => v !== undefined);
}
export function qStructs(value: QueryValue | undefined): QueryStruct[] | undefined {
  return qList(value)?.map((v) => qStruct(v) ?? {});
}
export function qStrings(value: QueryValue | undefined): string[] | undefined {
  return qList(value)?.map((v) => (typeof v === 'string' ? v : ''));
}
export function qStruct(value: QueryValue | undefined): QueryStruct | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw new ApiError('ValidationError', 'expected a structure');
  return value;
}
export function qString(value: QueryValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
export function qNumber(value: QueryValue | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'string' ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new ApiError('ValidationError', `${field} must be a number`);
  return n;
}
export function qBool(value: QueryValue | undefined): boolean | undefined {
  return value === undefined ? undefined : value === 'true';
}

export function xmlOk(action: string, requestId: string, result: Record<string, unknown>): AwsResponse {
  const body =
    `<${action}Response xmlns="${XMLNS}"><${action}Result>${toXml(result)}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
  return { status: 200, headers: XML_HEADERS, body };
}

export function xmlError(err: ApiError, requestId: string): AwsResponse {
  const type = err.status >= 500 ? 'Receiver' : 'Sender';
  const body =
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${err.code}</Code>` +
    `<Message>${toXml(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status: err.status, headers: XML_HEADERS, body };
}
