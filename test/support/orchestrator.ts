import type { DynamoHistoryStore } from '../../src/aws/history/dynamo-history-store.js';
import type { EventPublisher } from '../../src/domain/events.js';
import type { DeploymentPlan, PlannedStage } from '../../src/domain/plan.js';
import type { WorkflowPort } from '../../src/domain/workflow.js';
import { createLogger } from '../../src/logging.js';
import type { OrchestratorDeps } from '../../src/orchestrator/index.js';
import { NoopNotifier } from '../../src/slack/notifier.js';
import type { WaitTokenPort } from '../../src/stability/ports.js';

/** When the orchestrator unit tests' plans were made. */
export const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);

/** A one-app plan of the given stages, made at T0, with spec.timeout `timeoutSeconds`. */
export function planOf(id: string, stages: PlannedStage[], timeoutSeconds = 21_600): DeploymentPlan {
  return {
    deploymentId: id,
    executionName: `web-aaaaaaa-${id}`,
    app: { name: 'web', dir: 'apps/web', labels: {}, repo: 'o/r' },
    commit: { sha: 'a'.repeat(40), message: 'bump', author: 'dev' },
    trigger: { kind: 'cli' },
    strategy: 'PIPELINE',
    stages,
    taskDefinition: { family: 'web' },
    serviceDefinition: { cluster: 'c', serviceName: 'web' },
    targetGroups: {},
    accessType: 'ELB',
    options: { autoRollback: true, timeoutSeconds, mentions: [], pollIntervalSeconds: 15 },
    createdAt: new Date(T0).toISOString(),
  };
}

/** A port the code under test must not call: any call rejects, naming it. */
export const unusedPort = <T extends object>(what: string): T =>
  new Proxy({} as T, { get: (_t, name) => () => Promise.reject(new Error(`${what}.${String(name)} is not expected here`)) });

/** The orchestrator's dependencies over a real history table, both clocks stopped at `ms`. */
export function orchestratorDepsAt(history: DynamoHistoryStore, ms: number, events: EventPublisher = { publish: async () => undefined }): OrchestratorDeps {
  return {
    history,
    events,
    ancestry: { compare: () => Promise.reject(new Error('ancestry is not expected here')) },
    notifier: new NoopNotifier(),
    workflow: unusedPort<WorkflowPort>('workflow'),
    tokens: unusedPort<WaitTokenPort>('tokens'),
    now: () => new Date(ms),
    wallNow: () => new Date(ms),
    logger: createLogger('test', { logLevel: 'SILENT' }),
  };
}
