import { describe, expect, it } from 'vitest';
import {
  AnalysisFailedError,
  AwsError,
  ErrorName,
  errorFromName,
  InvalidManifestError,
  isErrorName,
  StabilizeFailedError,
  StableTimeoutError,
  StepcdError,
  TaskFailedError,
  ThrottledError,
  wrapAwsError,
} from '../../src/errors.js';

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
    expect(wrapped.constructor).not.toBe(StepcdError);
  });
});

describe('errorFromName', () => {
  it.each(Object.values(ErrorName))('success: %s is rebuilt as its own subclass', (name) => {
    const error = errorFromName(name, 'from the Cause', { cause: 'original' });
    expect(error).toBeInstanceOf(StepcdError);
    expect(error.constructor).not.toBe(StepcdError);
    expect(error.name).toBe(name);
    expect(error.message).toBe('from the Cause');
    expect(error.cause).toBe('original');
    expect(error.retryable).toBe(name === ErrorName.Throttled || name === ErrorName.Transient);
  });

  it.each([
    [ErrorName.StableTimeout, StableTimeoutError],
    [ErrorName.StabilizeFailed, StabilizeFailedError],
    [ErrorName.AnalysisFailed, AnalysisFailedError],
    [ErrorName.TaskFailed, TaskFailedError],
    [ErrorName.Throttled, ThrottledError],
    [ErrorName.AwsError, AwsError],
  ] as const)('success: %s is an instance of the class the ASL contract names', (name, type) => {
    expect(errorFromName(name, 'm')).toBeInstanceOf(type);
  });

  it('success: an invalid manifest rebuilt from its name keeps the message and has no issues', () => {
    const error = errorFromName(ErrorName.InvalidManifest, 'app.pipecd.yaml: spec.name is required');
    expect(error).toBeInstanceOf(InvalidManifestError);
    expect((error as InvalidManifestError).issues).toEqual([]);
    expect(error.message).toBe('app.pipecd.yaml: spec.name is required');
  });

  it.each([
    ['success: a stepcd name', 'stepcd.Rejected', true],
    ['fail: a Step Functions name', 'States.Timeout', false],
    ['fail: a plain JavaScript error', 'TypeError', false],
  ])('%s', (_name, name, expected) => {
    expect(isErrorName(name)).toBe(expected);
  });
});
