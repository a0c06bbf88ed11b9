import { randomUUID } from 'node:crypto';
import type { AwsRequest, AwsResponse, ServiceHandler } from '../aws-server.js';
import type { Clock } from '../clock.js';
import { MemoryCallLog } from './call-log.js';
import type { EcsContext } from './ecs/context.js';
import { ECS_OPERATIONS } from './ecs/operations.js';
import type { ElbContext } from './elbv2/context.js';
import { ELBV2_OPERATIONS } from './elbv2/operations.js';
import { ApiError } from './errors.js';
import { EcsEventEmitter, type EcsEventSink } from './ecs-events.js';
import { Faults } from './faults.js';
import { ArnFactory } from './ids.js';
import { Inspector } from './inspect.js';
import { Observer } from './observe.js';
import { probe } from './probe.js';
import { Scheduler } from './scheduler.js';
import { emptyWorld } from './state.js';
import { DEFAULT_TIMINGS, type EcsElbv2Emulator, type EmulatorOptions } from './types.js';
import { ecsOperationOf, jsonError, jsonOk, parseJsonBody } from './wire/json-protocol.js';
import { parseElbv2Request, xmlError, xmlOk, type QueryRequest } from './wire/query-protocol.js';

/** The emulator as returned: the public API plus read-only inspection for tests and the status page. */
export interface LocalEcsElbv2 extends EcsElbv2Emulator {
  faults: Faults;
  calls: MemoryCallLog;
  inspect: Inspector;
  clock: Clock;
  /**
   * Makes the target group of this ARN's name, once created (through the API, as the user's tooling
   * would), have exactly this ARN, so a repository written against real AWS ARNs runs unchanged.
   */
  pinTargetGroupArn(arn: string): boolean;
  /**
   * Sends the ECS events AWS would (see ecs-events.ts) to `sink` from now on, catching the world up
   * every `tickMs` real ms so they fire without a request. Returns a stop function.
   */
  emitEvents(sink: EcsEventSink, opts?: { tickMs?: number }): () => void;
}

/**
 * ECS and ELBv2 in one in-memory world, answering the real wire protocols. Nothing runs in the
 * background: each request first catches the world up to `clock.now()`.
 */
export function createEcsElbv2Emulator(opts: EmulatorOptions): LocalEcsElbv2 {
  const { clock } = opts;
  const world = emptyWorld();
  const arns = new ArnFactory(opts.region ?? 'us-east-1', opts.account ?? '000000000000');
  const timings = { ...DEFAULT_TIMINGS, ...opts.timings };
  const faults = new Faults(clock);
  const observer = new Observer(world, timings, faults);
  const scheduler = new Scheduler(world, arns, timings, faults, observer);
  const calls = new MemoryCallLog();

  const catchUp = (): number => {
    const now = clock.now();
    scheduler.reconcile(now);
    return now;
  };

  function handleEcs(operation: string, req: AwsRequest): AwsResponse {
    const now = clock.now();
    const fault = faults.takeCallFault('ecs', operation);
    calls.record('ecs', operation, fault !== undefined, now);
    if (fault) return jsonError(fault);
    const run = ECS_OPERATIONS[operation];
    if (!run) return jsonError(new ApiError('UnknownOperationException', `${operation} is not supported by the local ECS`));
    try {
      const ctx: EcsContext = { world, arns, scheduler, observer, timings, now: catchUp() };
      return jsonOk(run(ctx, parseJsonBody(req)));
    } catch (err) {
      if (err instanceof ApiError) return jsonError(err);
      throw err;
    }
  }

  function handleElbv2({ action, params }: QueryRequest): AwsResponse {
    const now = clock.now();
    const requestId = randomUUID();
    const fault = faults.takeCallFault('elbv2', action);
    calls.record('elbv2', action, fault !== undefined, now);
    if (fault) return xmlError(fault, requestId);
    const run = ELBV2_OPERATIONS[action];
    if (!run) return xmlError(new ApiError('InvalidAction', `${action} is not supported by the local ELBv2`), requestId);
    try {
      const ctx: ElbContext = { world, arns, observer, now: catchUp() };
      return xmlOk(action, requestId, run(ctx, params));
    } catch (err) {
      if (err instanceof ApiError) return xmlError(err, requestId);
      return xmlError(new ApiError('InternalFailure', (err as Error).message, 500), requestId);
    }
  }

  const handler: ServiceHandler = async (req) => {
    const ecsOperation = ecsOperationOf(req);
    if (ecsOperation !== undefined) return handleEcs(ecsOperation, req);
    const elbv2 = parseElbv2Request(req);
    if (elbv2) return handleElbv2(elbv2);
    return undefined;
  };

  return {
    handler,
    emitEvents(sink, emitOpts = {}) {
      const emitter = new EcsEventEmitter(world, timings, clock, faults, sink);
      const timer = setInterval(() => emitter.scan(catchUp()), emitOpts.tickMs ?? 10);
      timer.unref();
      return () => clearInterval(timer);
    },
    faults,
    calls,
    clock,
    inspect: new Inspector(world, observer, timings, catchUp),
    probe: (probeOpts) => probe(world, observer, catchUp(), probeOpts),
    pinTargetGroupArn: (arn) => arns.pinTargetGroup(arn),
  };
}
