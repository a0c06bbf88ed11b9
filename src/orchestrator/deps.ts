import type { EventPublisher } from '../domain/events.js';
import type { WorkflowPort } from '../domain/workflow.js';
import type { HistoryStore } from '../history/store.js';
import type { StepcdLogger } from '../logging.js';
import type { Notifier } from '../notify/notifier.js';

/** What the orchestration steps need; built once per cold start (AWS) or per local cloud. */
export interface OrchestratorDeps {
  history: HistoryStore;
  events: EventPublisher;
  notifier: Notifier;
  workflow: WorkflowPort;
  now(): Date;
  logger: StepcdLogger;
}
