import { emptyDeploymentState, FINAL_STATUSES, type DeploymentRecord } from '../domain/deployment.js';
import { ECS_STAGE_KINDS } from '../domain/stage-kinds.js';
import type { DeploymentPlan } from '../domain/plan.js';
import { announce, notifySettings, reload } from './announce.js';
import type { OrchestratorDeps } from './deps.js';
import type { ExecutionData } from './execution-data.js';
import { handOffAfterEnd } from './hand-off.js';
import { describeFailure, outcomeOf } from './reasons.js';

/** The `detail` of EventBridge's "Step Functions Execution Status Change" event. */
export interface ExecutionStatusChange {
  executionArn: string;
  name: string;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';
  input?: string | null;
  error?: string | null;
  cause?: string | null;
}

export type FinaliserOutcome = 'ignored' | 'already-final' | 'finalised' | 'rollback-started';

/**
 * Finalises executions that ended outside the ASL's own Catch: StopExecution (ABORTED), TIMED_OUT,
 * or a FAILED that never reached Finish (a rollback whose retries ran out). It releases the lock and,
 * when ECS had been touched, starts a rollback-only execution of the same state machine, which
 * keeps the lock until its own Finish.
 */
export async function finaliseExecution(change: ExecutionStatusChange, deps: OrchestratorDeps): Promise<FinaliserOutcome> {
  if (change.status === 'RUNNING' || change.status === 'SUCCEEDED' || change.status === 'PENDING_REDRIVE') return 'ignored';
  const input = parseInput(change.input);
  if (!input) return 'ignored';
  const plan = input.plan;
  const id = plan.deploymentId;
  const app = plan.app.name;
  const record = await deps.history.getDeployment(id);
  if (!record) return 'ignored';
  // Only Begin records the execution: one that ended before Begin got that far (stopped, or Begin's
  // first read failed for good) would leave the record with no way to its history. A rollback-only
  // execution is not the record's.
  if (!record.executionArn && !input.rollbackOnly) await deps.history.setExecution(id, change.executionArn);
  const appState = await deps.history.getAppState(app);
  // Stopped while an automatic rollback ran: the rollback's own outcome stands (a stop is not a cancel).
  const rollingBack = record.status === 'ROLLING_BACK';
  const decision = decideFinalisation({
    status: change.status,
    ...(rollingBack ? { rollingBackOutcome: outcomeOf(record.errors.at(-1)?.error) } : {}),
    rollbackOnly: input.rollbackOnly,
    recordFinal: FINAL_STATUSES.includes(record.status),
    lockHeld: appState.lockHolder === id,
    ecsMayBeTouched: ecsMayBeTouched(record),
    autoRollback: plan.options.autoRollback,
  });
  const at = deps.wallNow().toISOString();
  const why = rollingBack && record.reason ? `${record.reason} (then ${reasonFor(change)})` : reasonFor(change);

  switch (decision.kind) {
    case 'release':
      await deps.history.releaseLock(app, id);
      await handOffAfterEnd(deps, app);
      return 'already-final';
    case 'rollback': {
      // DEPLOYMENT_ROLLING_BACK once per rollback: a rollback already announced is only resumed.
      if (!rollingBack) {
        await deps.history.setStatus(id, 'ROLLING_BACK', { reason: why, at });
        await announce(deps, await reload(deps, plan), 'DEPLOYMENT_ROLLING_BACK', { reason: why });
      }
      const rollbackInput: ExecutionData = {
        plan,
        // Possibly stale (see ecsMayBeTouched); each rollback step merges in the record's latest.
        state: record.state ?? emptyDeploymentState(),
        ...(appState.lastGood ? { lastGood: appState.lastGood } : {}),
        cursor: { index: -1 },
        rollbackOnly: true,
        rollback: { needed: true, done: false, reason: why, outcome: decision.outcome, errorName: change.error ?? change.status, startedAt: at },
      };
      await deps.workflow.startExecution(rollbackExecutionName(change.name), rollbackInput);
      return 'rollback-started';
    }
    case 'finalise': {
      const notes = {
        'rollback-failed': ` (rollback did not finish; the service may need attention: run \`stepcd deployments show ${id}\`)`,
        untouched: '; ECS was not touched',
        'no-auto-rollback': '; autoRollback is off, nothing was rolled back',
        'not-lock-holder': '; it never held the app lock, so nothing was deployed',
      } as const;
      return finalise(deps, plan, decision.status, `${why}${notes[decision.note]}`, at);
    }
  }
}

export interface FinalisationFacts {
  status: 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  /** The execution was a finaliser-started rollback, not a deployment. */
  rollbackOnly: boolean;
  recordFinal: boolean;
  lockHeld: boolean;
  ecsMayBeTouched: boolean;
  autoRollback: boolean;
  /** Set when the execution ended while its automatic rollback ran: the outcome that rollback had. */
  rollingBackOutcome?: 'FAILURE' | 'CANCELLED';
}

export type FinalisationDecision =
  | { kind: 'release' }
  | { kind: 'rollback'; outcome: 'FAILURE' | 'CANCELLED' }
  | { kind: 'finalise'; status: 'FAILURE' | 'CANCELLED'; note: 'rollback-failed' | 'untouched' | 'no-auto-rollback' | 'not-lock-holder' };

/**
 * What to do about an execution that ended outside the ASL's Catch. Only the lock holder can have
 * changed ECS; a rollback that itself ended this way is not retried again (that could loop).
 */
export function decideFinalisation(f: FinalisationFacts): FinalisationDecision {
  if (f.recordFinal) return { kind: 'release' };
  const outcome = f.rollingBackOutcome ?? (f.status === 'ABORTED' ? 'CANCELLED' : 'FAILURE');
  if (f.rollbackOnly) return { kind: 'finalise', status: 'FAILURE', note: 'rollback-failed' };
  if (!f.lockHeld) return { kind: 'finalise', status: outcome, note: 'not-lock-holder' };
  if (!f.ecsMayBeTouched) return { kind: 'finalise', status: outcome, note: 'untouched' };
  if (!f.autoRollback) return { kind: 'finalise', status: outcome, note: 'no-auto-rollback' };
  return { kind: 'rollback', outcome };
}

/**
 * Whether ECS may have been changed. The recorded state alone is not enough: a stage Lambda still in
 * flight when the execution was stopped records its state after it acts, maybe after this runs.
 * The advance that opens an ECS stage marks it RUNNING before its start makes any ECS call (in the
 * task before it, or in its own start after a wait), so that is the safe signal;
 * rolling back an untouched service is a no-op.
 */
function ecsMayBeTouched(record: DeploymentRecord): boolean {
  if (record.state?.touched) return true;
  return record.stages.some((s) => ECS_STAGE_KINDS.includes(s.name) && s.status !== 'NOT_STARTED');
}

async function finalise(deps: OrchestratorDeps, plan: DeploymentPlan, status: 'FAILURE' | 'CANCELLED', reason: string, at: string) {
  await deps.history.setStatus(plan.deploymentId, status, { reason, at });
  await deps.history.releaseLock(plan.app.name, plan.deploymentId);
  await deps.history.dequeue(plan.app.name, plan.deploymentId);
  await handOffAfterEnd(deps, plan.app.name);
  const record = await reload(deps, plan);
  await announce(deps, record, status === 'CANCELLED' ? 'DEPLOYMENT_CANCELLED' : 'DEPLOYMENT_FAILED', { reason });
  await deps.notifier.deploymentEnded(record, notifySettings(plan));
  return 'finalised' as const;
}

function reasonFor(change: ExecutionStatusChange): string {
  switch (change.status) {
    case 'ABORTED':
      return 'execution was stopped (StopExecution)';
    case 'TIMED_OUT':
      return 'execution timed out';
    default:
      // The cause of a Lambda error is its JSON envelope: say its message, never the raw JSON.
      return `execution failed: ${describeFailure({ Error: change.error ?? 'unknown error', ...(change.cause ? { Cause: change.cause } : {}) })}`;
  }
}

/** The input is either a plan (a normal execution) or the data of a rollback-only execution. */
function parseInput(raw: string | null | undefined): { plan: DeploymentPlan; rollbackOnly: boolean } | undefined {
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<ExecutionData> & Partial<DeploymentPlan>;
    if (parsed.rollbackOnly && parsed.plan) return { plan: parsed.plan, rollbackOnly: true };
    if (typeof parsed.deploymentId === 'string' && parsed.app) return { plan: parsed as DeploymentPlan, rollbackOnly: false };
  } catch {
    // Not ours (another state machine on the same bus rule); nothing to finalise.
  }
  return undefined;
}

export function rollbackExecutionName(name: string): string {
  return `${name.slice(0, 77)}-rb`;
}
