/**
 * Time for the local cloud. Everything that "takes time" in the emulator (tasks starting, targets
 * turning healthy, draining) is computed from `now()`, so tests control time instead of sleeping.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

/** Moves only when told; for unit tests that step time explicitly. */
export class ManualClock implements Clock {
  private current: number;
  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }
  now(): number {
    return this.current;
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(ms: number): void {
    this.current = ms;
  }
}

/**
 * Real time sped up by `factor`, for runs of the whole state machine where waits are shortened:
 * with factor 60, a 30 s health check takes half a real second. `advance` jumps ahead on top.
 */
export class ScaledClock implements Clock {
  private readonly startReal = Date.now();
  private offset = 0;
  constructor(readonly factor = 60) {}
  now(): number {
    return this.startReal + (Date.now() - this.startReal) * this.factor + this.offset;
  }
  advance(ms: number): void {
    this.offset += ms;
  }
}
