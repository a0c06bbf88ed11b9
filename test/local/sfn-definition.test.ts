import { describe, expect, it } from 'vitest';
import { classifyResource, prepareDefinition } from '../../src/local/sfn/definition.js';
import { functionNameOf } from '../../src/local/sfn/functions.js';
import { readPath } from '../../src/local/sfn/json-path.js';
import { nominalWaitMs } from '../../src/local/sfn/waits.js';

describe('classifyResource', () => {
  it.each([
    ['success: optimised invoke', 'arn:aws:states:::lambda:invoke', 'lambda-invoke'],
    ['success: callback invoke', 'arn:aws:states:::lambda:invoke.waitForTaskToken', 'lambda-callback'],
    ['success: function ARN', 'arn:aws:lambda:us-east-1:1:function:x', 'lambda-arn'],
    ['success: events', 'arn:aws:states:::events:putEvents', 'events-put'],
    ['fail: dynamodb', 'arn:aws:states:::dynamodb:putItem', undefined],
  ])('%s', (_name, resource, kind) => {
    expect(classifyResource(resource)).toBe(kind);
  });
});

describe('functionNameOf', () => {
  it.each([
    ['bare name', 'deploy', 'deploy'],
    ['qualified name', 'deploy:live', 'deploy'],
    ['full ARN', 'arn:aws:lambda:us-east-1:000000000000:function:deploy', 'deploy'],
    ['ARN with alias', 'arn:aws:lambda:us-east-1:000000000000:function:deploy:2', 'deploy'],
    ['unsubstituted ARN', 'arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:${self:service}-deploy', '-deploy'],
  ])('%s', (_name, reference, name) => {
    expect(functionNameOf(reference)).toBe(name);
  });
});

describe('readPath', () => {
  const doc = { a: { b: [{ c: 5 }] }, 'odd key': 1 };
  it('reads dotted, indexed and quoted steps, and undefined for what is missing', () => {
    expect(readPath(doc, '$')).toBe(doc);
    expect(readPath(doc, '$.a.b[0].c')).toBe(5);
    expect(readPath(doc, "$['odd key']")).toBe(1);
    expect(readPath(doc, '$.a.x.y')).toBeUndefined();
  });
  it('throws on paths outside the supported subset', () => {
    expect(() => readPath(doc, '$..c')).toThrow(/unsupported path/);
  });
});

describe('nominalWaitMs', () => {
  it('resolves Seconds, SecondsPath and Timestamp against the input and the clock', () => {
    expect(nominalWaitMs({ seconds: 3 }, {}, 0)).toBe(3000);
    expect(nominalWaitMs({ secondsPath: '$.s' }, { s: 150 }, 0)).toBe(150_000);
    expect(nominalWaitMs({ timestamp: '2026-01-01T00:01:00Z' }, {}, Date.UTC(2026, 0, 1))).toBe(60_000);
    expect(() => nominalWaitMs({ secondsPath: '$.s' }, { s: -1 }, 0)).toThrow(/non-negative integer/);
  });
});

describe('prepareDefinition', () => {
  it('runs Wait states as local tasks that keep their paths and transitions, and finds nested states', () => {
    const prepared = prepareDefinition({
      StartAt: 'P',
      States: {
        P: { Type: 'Parallel', Branches: [{ StartAt: 'W', States: { W: { Type: 'Wait', SecondsPath: '$.s', InputPath: '$.x', End: true } } }], End: true },
      },
    });
    const branch = prepared.runnable.States.P?.Branches?.[0];
    expect(branch?.States.W).toMatchObject({ Type: 'Task', InputPath: '$.x', End: true });
    expect(prepared.states.get('W')).toMatchObject({ type: 'Wait', wait: { secondsPath: '$.s' } });
  });
});
