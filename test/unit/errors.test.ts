import { describe, expect, it } from 'vitest';
import { ErrorName, wrapAwsError } from '../../src/errors.js';

describe('wrapAwsError', () => {
  it.each([
    ['ThrottlingException', 400, ErrorName.Throttled],
    ['Throttling', 400, ErrorName.Throttled],
    ['ServerException', 500, ErrorName.Transient],
    ['InvalidParameterException', 400, ErrorName.AwsError],
  ])('classifies %s (HTTP %i) as %s', (name, status, expected) => {
    const sdkError = Object.assign(new Error('boom'), { name, $metadata: { httpStatusCode: status } });
    const wrapped = wrapAwsError('creating task set', sdkError);
    expect(wrapped.name).toBe(expected);
    expect(wrapped.message).toBe(`creating task set: ${name}: boom`);
    expect(wrapped.cause).toBe(sdkError);
  });
});
