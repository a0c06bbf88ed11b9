import { describe, expect, it } from 'vitest';
import { estimateCost, PRICES } from '../../bench/cost.js';
import { functionMemoryMb } from '../../bench/serverless-functions.js';
import { operationOfTarget } from '../../bench/support/aws-calls.js';
import { diffCounts, median, percentile } from '../../bench/support/stats.js';
import { classifyTransitions } from '../../bench/transitions.js';

describe('classifyTransitions', () => {
  it('success: counts a first stabilise pass as fixed cost and each further pass as poll loop', () => {
    const entered = [
      'Begin',
      'Route',
      'ECS_SYNC',
      'Route',
      'WaitStable',
      'WaitStable',
      'CheckStable',
      'Route',
      'WaitStable',
      'CheckStable',
      'Route',
      'Succeeded',
    ];
    const figures = classifyTransitions(entered, entered.length);
    // A backstop slice that ended (WaitStable again, 1) and a check that found it pending (3).
    expect(figures.pollLoops).toEqual({ stabilise: 4, rollback: 0, queue: 0 });
    expect(figures.excludingPollLoops).toBe(entered.length - 4);
    expect(figures.includingPollLoops).toBe(entered.length);
    expect(figures.byState.WaitStable).toBe(3);
  });

  it('success: counts every WaitRollback and Queued iteration as poll loop, and retries apart', () => {
    const entered = [
      'Begin',
      'Route',
      'Queued',
      'Begin',
      'Route',
      'RollbackBegin',
      'RollbackStep',
      'RollbackDone',
      'WaitRollback',
      'RollbackStep',
      'RollbackDone',
      'FinishFailed',
    ];
    const figures = classifyTransitions(entered, entered.length + 2);
    expect(figures.pollLoops).toEqual({ stabilise: 0, rollback: 3, queue: 3 });
    expect(figures.retries).toBe(2);
    expect(figures.excludingPollLoops).toBe(entered.length + 2 - 6);
  });

  it('success: counts an iteration cut short by the end of the execution as far as it went', () => {
    const figures = classifyTransitions(['CheckStable', 'Route', 'WaitStable'], 3);
    expect(figures.pollLoops.stabilise).toBe(1);
  });
});

describe('estimateCost', () => {
  it('success: prices transitions, requests and GB-seconds at list prices, billing each invocation up to the ms', () => {
    const estimate = estimateCost(1_000, {
      stage: { invocations: 2, memoryMb: 1024, durationsMs: [99.2, 100.4] },
      'github-webhook': { invocations: 1, memoryMb: 256, durationsMs: [] },
    });
    expect(estimate.usd.stepFunctions).toBeCloseTo(0.025, 12);
    expect(estimate.usd.lambdaRequests).toBeCloseTo(3 * PRICES.lambdaPerRequest, 15);
    // (100 + 101) / 2 ms × 2 invocations × 1 GB; the unmeasured webhook adds requests only.
    expect(estimate.lambdaGbSeconds).toBeCloseTo(0.201, 9);
    expect(estimate.usd.lambdaCompute).toBeCloseTo(0.201 * PRICES.lambdaPerGbSecondArm64, 15);
    expect(estimate.lambda['github-webhook']?.durationSource).toBe('none');
    expect(estimate.usd.total).toBeCloseTo(estimate.usd.stepFunctions + estimate.usd.lambdaRequests + estimate.usd.lambdaCompute, 9);
  });
});

describe('functionMemoryMb', () => {
  it('success: takes a function’s own memorySize over the provider’s, ignoring CloudFormation tags', () => {
    const yml = [
      'provider:',
      '  memorySize: 256',
      '  environment:',
      '    ARN: !Sub arn:${AWS::Partition}:states',
      'functions:',
      '  a: { handler: a.handler }',
      '  b: { handler: b.handler, memorySize: 1024 }',
    ].join('\n');
    expect(functionMemoryMb(yml)).toEqual({ a: 256, b: 1024 });
  });

  it('success: falls back to Lambda’s default of 128 MB', () => {
    expect(functionMemoryMb('functions:\n  a: { handler: a.handler }\n')).toEqual({ a: 128 });
  });

  it('fail: refuses a memorySize that is not a whole number of MB', () => {
    expect(() => functionMemoryMb('provider:\n  memorySize: lots\nfunctions:\n  a: {}\n')).toThrow(/provider.memorySize/);
  });
});

describe('operationOfTarget', () => {
  it.each([
    ['DynamoDB_20120810.UpdateItem', { service: 'dynamodb', operation: 'UpdateItem' }],
    ['AWSStepFunctions.StartExecution', { service: 'sfn', operation: 'StartExecution' }],
    ['AWSEvents.PutEvents', { service: 'events', operation: 'PutEvents' }],
    ['AmazonEC2ContainerServiceV20141113.CreateTaskSet', { service: 'ecs', operation: 'CreateTaskSet' }],
    ['AmazonSSM.GetParameters', undefined],
    [undefined, undefined],
  ])('reads the service and operation from the x-amz-target %s', (target, expected) => {
    expect(operationOfTarget(target)).toEqual(expected);
  });
});

describe('stats', () => {
  it('success: takes nearest-rank percentiles and reports null for no sample', () => {
    const sample = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
    expect(median(sample)).toBe(5);
    expect(percentile(sample, 95)).toBe(10);
    expect(percentile([], 50)).toBeNull();
  });

  it('success: diffs counters and drops keys that did not move', () => {
    expect(diffCounts({ a: 3, b: 1, c: 2 }, { a: 1, b: 1 })).toEqual({ a: 2, c: 2 });
  });
});
