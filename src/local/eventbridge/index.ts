export {
  LocalEventBus,
  envelope,
  matches,
  busName,
  type CapturedEvent,
  type EventFilter,
  type EventRule,
  type EventSelector,
  type EventTarget,
  type LocalEventBusOptions,
  type LocalEventInput,
} from './bus.js';
export { eventBridgeServiceHandler } from './handler.js';
export { InvalidEventPatternError, matchesPattern, validatePattern, type EventPattern } from './pattern.js';
