import type { AwsRequest, AwsResponse } from '../../aws-server.js';
import { ApiError } from '../errors.js';

/** awsJson1_1 as ECS speaks it: `x-amz-target: AmazonEC2ContainerServiceV20141113.<Operation>`. */
export const ECS_TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113.';

const JSON_HEADERS = { 'content-type': 'application/x-amz-json-1.1' };

export function ecsOperationOf(req: AwsRequest): string | undefined {
  return req.target?.startsWith(ECS_TARGET_PREFIX) ? req.target.slice(ECS_TARGET_PREFIX.length) : undefined;
}

export function parseJsonBody(req: AwsRequest): Record<string, unknown> {
  if (!req.body.trim()) return {};
  const parsed: unknown = JSON.parse(req.body);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ApiError('SerializationException', 'request body must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

export function jsonOk(body: unknown): AwsResponse {
  return { status: 200, headers: JSON_HEADERS, body: JSON.stringify(body) };
}

export function jsonError(err: ApiError): AwsResponse {
  return { status: err.status, headers: JSON_HEADERS, body: JSON.stringify({ __type: err.code, message: err.message }) };
}

/** ECS timestamps go on the wire as epoch seconds (the SDK rejects ISO strings). */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}
