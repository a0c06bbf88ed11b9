import type { Clock } from '../clock.js';
import { ApiError } from './errors.js';
import type { EmulatedService, FaultInjector } from './types.js';

interface CallFault {
  service: EmulatedService;
  operation: string;
  kind: 'throttle' | 'http500';
  /** Remaining failures; undefined means until cleared. */
  remaining?: number;
}

/**
 * How a matching task ends: its essential container exits (`exit`, with the rule's reason), or the
 * service scheduler stops it for failing its load balancer's or its container's health checks.
 */
export type CrashCause = 'exit' | 'elb-health-check' | 'container-health-check';

export interface CrashRule {
  family?: string;
  image?: string;
  taskSetId?: string;
  cause: CrashCause;
  reason: string;
  afterMs: number;
  /** Tasks already running when the rule was injected crash from this moment, not in the past. */
  since: number;
}

export interface ExitRule {
  family?: string;
  image?: string;
  container?: string;
  exitCode: number;
  reason?: string;
  runMs?: number;
}

/** What a crash rule is matched against. */
export interface CrashSubject {
  family: string;
  images: string[];
  taskSetId: string;
  taskSetArn: string;
}

/**
 * Faults of the emitted ECS events: `lose` drops the next N (Infinity: all), `loseRatio` a steady
 * share (deterministically: every k-th), `delayMs` holds each back on the emulated clock.
 */
export interface EventFaults {
  lose?: number;
  loseRatio?: number;
  delayMs?: number;
}

/** Fault state shared by the request handler (call faults), the scheduler (crashes) and health (targets). */
export class Faults implements FaultInjector {
  private callFaults: CallFault[] = [];
  private crashRules: CrashRule[] = [];
  private unhealthy = new Set<string>();
  private exitRules: ExitRule[] = [];
  private eventRule: EventFaults = {};
  private eventsSeen = 0;
  private eventsLost = 0;

  constructor(private readonly clock: Clock) {}

  inject(f: { service: EmulatedService; operation: string; kind: 'throttle' | 'http500'; times?: number }): void {
    this.callFaults.push({ service: f.service, operation: f.operation, kind: f.kind, remaining: f.times });
  }

  crashTasks(f: { family?: string; image?: string; taskSetId?: string; reason: string; afterMs?: number }): void {
    if (f.family === undefined && f.image === undefined && f.taskSetId === undefined) {
      throw new Error('crashTasks needs a family, an image or a taskSetId to match');
    }
    this.crashRules.push({ ...f, cause: 'exit', afterMs: f.afterMs ?? 0, since: this.clock.now() });
  }

  failHealthChecks(f: { family?: string; image?: string; taskSetId?: string; check: 'elb' | 'container'; afterMs?: number }): void {
    if (f.family === undefined && f.image === undefined && f.taskSetId === undefined) {
      throw new Error('failHealthChecks needs a family, an image or a taskSetId to match');
    }
    const { check, ...match } = f;
    const cause = check === 'elb' ? 'elb-health-check' : 'container-health-check';
    this.crashRules.push({ ...match, cause, reason: cause, afterMs: f.afterMs ?? 0, since: this.clock.now() });
  }

  exitCodes(f: ExitRule): void {
    if (!Number.isInteger(f.exitCode) || f.exitCode < 0 || f.exitCode > 255) throw new Error('exitCodes needs an exitCode 0–255');
    this.exitRules.push({ ...f });
  }

  /** The exit rules that apply to a standalone task of this family and images, oldest first. */
  exitRulesFor(family: string, images: readonly string[]): ExitRule[] {
    return this.exitRules.filter(
      (r) => (r.family === undefined || r.family === family) && (r.image === undefined || images.some((image) => image.includes(r.image as string))),
    );
  }

  unhealthyTargets(f: { targetGroupArn: string }): void {
    this.unhealthy.add(f.targetGroupArn);
  }

  /** Replaces the event faults (see EventFaults). */
  events(f: EventFaults): void {
    if (f.loseRatio !== undefined && !(f.loseRatio >= 0 && f.loseRatio <= 1)) throw new Error('events needs a loseRatio in 0–1');
    this.eventRule = { ...f };
  }

  /** What happens to the next emitted event: dropped, or sent after `delayMs` (0: now). */
  eventFate(): { lost: true } | { lost: false; delayMs: number } {
    const n = this.eventsSeen++;
    const { lose, loseRatio, delayMs } = this.eventRule;
    const lostByCount = lose !== undefined && lose > 0;
    if (lostByCount) this.eventRule.lose = (lose as number) - 1;
    if (lostByCount || (loseRatio !== undefined && Math.floor((n + 1) * loseRatio) > Math.floor(n * loseRatio))) {
      this.eventsLost++;
      return { lost: true };
    }
    return { lost: false, delayMs: delayMs ?? 0 };
  }

  /** How many emitted events the faults dropped so far. */
  get lostEvents(): number {
    return this.eventsLost;
  }

  clear(): void {
    this.eventRule = {};
    this.callFaults = [];
    this.crashRules = [];
    this.unhealthy.clear();
    this.exitRules = [];
  }

  /** Consumes one failure for this call if one is armed, returning the error to answer with. */
  takeCallFault(service: EmulatedService, operation: string): ApiError | undefined {
    const fault = this.callFaults.find((f) => f.service === service && f.operation === operation && (f.remaining === undefined || f.remaining > 0));
    if (!fault) return undefined;
    if (fault.remaining !== undefined) fault.remaining -= 1;
    return callFaultError(service, fault.kind);
  }

  crashRuleFor(subject: CrashSubject): CrashRule | undefined {
    return this.crashRules.find(
      (r) =>
        (r.family === undefined || r.family === subject.family) &&
        (r.image === undefined || subject.images.some((image) => image.includes(r.image as string))) &&
        (r.taskSetId === undefined || r.taskSetId === subject.taskSetId || r.taskSetId === subject.taskSetArn),
    );
  }

  failsHealthChecks(targetGroupArn: string): boolean {
    return this.unhealthy.has(targetGroupArn);
  }
}

/** The errors each service really answers with when throttled or broken. */
function callFaultError(service: EmulatedService, kind: 'throttle' | 'http500'): ApiError {
  if (service === 'ecs') {
    return kind === 'throttle'
      ? new ApiError('ThrottlingException', 'Rate exceeded', 400)
      : new ApiError('ServerException', 'Service Unavailable. Please try again later.', 500);
  }
  return kind === 'throttle'
    ? new ApiError('Throttling', 'Rate exceeded', 400)
    : new ApiError('InternalFailure', 'The request processing has failed because of an unknown error.', 500);
}
