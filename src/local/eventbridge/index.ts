export {
  LocalEventBus,
  envelope,
  matches,
  busName,
  type CapturedEvent,
  type EventPattern,
  type EventTarget,
  type LocalEventBusOptions,
  type LocalEventInput,
} from './bus.js';
export { eventBridgeServiceHandler } from './handler.js';
