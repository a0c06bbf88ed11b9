import type { EventPublisher } from '../domain/events.js';
import type { AncestryPort } from '../gitops/ancestry.js';
import type { WorkflowPort } from '../domain/workflow.js';
import type { HistoryStore } from '../history/store.js';
import type { StepcdLogger } from '../logging.js';
import type { Notifier } from '../slack/notifier.js';

/** What the orchestration steps need; built once per cold start (AWS) or per local cloud. */
export interface OrchestratorDeps {
  history: HistoryStore;
  events: EventPublisher;
  notifier: Notifier;
  workflow: WorkflowPort;
  /** Git ancestry, so that Begin never lets an older commit replace a newer one (ARCHITECTURE §5). */
  ancestry: AncestryPort;
  now(): Date;
  logger: StepcdLogger;
}
