export { createEcsElbv2Emulator, type LocalEcsElbv2 } from './emulator.js';
export { DEFAULT_TIMINGS } from './types.js';
export type {
  CallLog,
  CallRecord,
  EcsElbv2Emulator,
  EmulatedService,
  EmulatorOptions,
  EmulatorTimings,
  FaultInjector,
  ProbeOptions,
  ProbeResult,
} from './types.js';
export type { Inspector, TaskSetSummary, WeightSummary } from './inspect.js';
export { hexOf as deterministicIdOf } from './ids.js';
