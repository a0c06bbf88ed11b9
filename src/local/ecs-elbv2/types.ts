import type { ServiceHandler } from '../aws-server.js';

/** How long things "take" in the emulator; all measured against the injected clock. */
export interface EmulatorTimings {
  /** PENDING → RUNNING. */
  taskStartMs: number;
  /** A target goes initial → healthy this long after its task is RUNNING. */
  healthyAfterMs: number;
  /** A deregistered target drains this long before it is gone (and its task stops). */
  drainMs: number;
  /** A task asked to stop takes this long (after draining) to reach STOPPED. */
  taskStopMs: number;
  /** How long a standalone task (RunTask) runs before its containers exit, unless a fault says otherwise. */
  standaloneRunMs: number;
}

export const DEFAULT_TIMINGS: EmulatorTimings = {
  taskStartMs: 5_000,
  healthyAfterMs: 10_000,
  drainMs: 30_000,
  taskStopMs: 2_000,
  standaloneRunMs: 10_000,
};

export type EmulatedService = 'ecs' | 'elbv2';

export interface FaultInjector {
  /**
   * The next `times` (default: until cleared) calls of service+operation fail with throttling
   * (ECS 400 ThrottlingException; ELBv2 400 Throttling "Rate exceeded") or HTTP 500
   * (ECS ServerException; ELBv2 InternalFailure).
   */
  inject(f: { service: EmulatedService; operation: string; kind: 'throttle' | 'http500'; times?: number }): void;
  /**
   * Tasks matching (task definition family, image substring, or task set id/ARN) stop `afterMs` after
   * starting with `reason`; ECS replaces them with new PENDING tasks, so the set never stabilises.
   */
  crashTasks(f: { family?: string; image?: string; taskSetId?: string; reason: string; afterMs?: number }): void;
  /**
   * Tasks matching fail their load balancer's (`elb`) or their container's health checks `afterMs`
   * after starting: the service scheduler stops each as ECS does (stopCode ServiceSchedulerInitiated,
   * "Task failed ELB health checks in (target-group ...)" or "Task failed container health checks")
   * and starts a replacement.
   */
  failHealthChecks(f: { family?: string; image?: string; taskSetId?: string; check: 'elb' | 'container'; afterMs?: number }): void;
  /**
   * Standalone tasks (RunTask) matching family and/or image: `container` (default every container)
   * exits with `exitCode` and `reason` after `runMs` (default timings.standaloneRunMs). Later rules win.
   */
  exitCodes(f: { family?: string; image?: string; container?: string; exitCode: number; reason?: string; runMs?: number }): void;
  /** Targets registered in this target group never become healthy. */
  unhealthyTargets(f: { targetGroupArn: string }): void;
  clear(): void;
}

export interface CallRecord {
  service: EmulatedService;
  operation: string;
  mutating: boolean;
  faulted: boolean;
  /** Clock time (epoch ms) of the call. */
  at: number;
}

export interface CallLog {
  all(): CallRecord[];
  count(filter?: Partial<Pick<CallRecord, 'service' | 'operation' | 'mutating'>>): number;
  /** Keyed `"ecs:CreateTaskSet"`. */
  byOperation(): Record<string, number>;
  reset(): void;
}

export interface ProbeOptions {
  listenerArn: string;
  requests: number;
  path?: string;
}

export interface ProbeResult {
  total: number;
  outcomes: { '2xx': number; '503': number; '404'?: number };
  /** Task set id → 2xx count. */
  byTaskSet: Record<string, number>;
  /** Task definition ARN → 2xx count. */
  byVersion: Record<string, number>;
  /** Target group ARN → requests forwarded to it (2xx and 503 alike). */
  byTargetGroup: Record<string, number>;
}

export interface EcsElbv2Emulator {
  /** Answers ECS (awsJson1_1) and ELBv2 (awsQuery) requests; `undefined` for anything else. */
  handler: ServiceHandler;
  faults: FaultInjector;
  calls: CallLog;
  /** Sends `requests` simulated HTTP requests through a listener, as the emulator's weights and health stand now. */
  probe(opts: ProbeOptions): ProbeResult;
}

export interface EmulatorOptions {
  clock: import('../clock.js').Clock;
  region?: string;
  account?: string;
  timings?: Partial<EmulatorTimings>;
}
