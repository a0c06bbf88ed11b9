import { FINAL_STATUSES } from '../domain/deployment.js';
import { CancelledError, DeploymentTimeoutError, InvalidStateError, StableTimeoutError } from '../errors.js';
import type { DeploymentStore } from '../history/deployment-store.js';
import type { DeploymentRecord } from '../domain/deployment.js';
import { checkStage, restoreTraffic, rollbackStep, startStage } from '../stages/index.js';
import type { StagePorts } from '../stages/ports.js';
import type { StageInput } from '../stages/types.js';
import type { StageWaitStore } from '../history/stage-wait-store.js';
import { openStageWait, waitSliceSeconds, waitTargetOf, type WaitTokenPort } from '../stability/index.js';
import { DEFAULT_STABILITY_BACKSTOP_SECONDS } from '../domain/plan.js';
import { deploymentDeadline, timeoutMessage } from './deadline.js';
import type { ExecutionData } from './execution-data.js';
import { mergeStates } from './state-merge.js';
import { byWhom, openWaitStage } from './wait-stage.js';
import { ROLLBACK_LIMIT_SECONDS, rollbackOverdue } from './rollback-limit.js';
import type { StepDeps } from './deps.js';
import { advanceAndRoute, closeEndedWait } from './route.js';

export interface StageTaskDeps {
  ports: StagePorts;
  history: Pick<DeploymentStore, 'getDeployment' | 'setState'> & StageWaitStore;
  /** Settles the task token of a stability or ANALYSIS wait found already over (the `await` action). */
  tokens: WaitTokenPort;
  /** Advance and Complete, run by the task that finished a stage instead of by tasks of their own. */
  steps: StepDeps;
}

/**
 * The stage Lambda: `start` and `check` of the current ECS or ANALYSIS stage, the WAIT's token wait (`wait`), the traffic restore that
 * opens a rollback (`rollback-traffic`), and one `rollback` step. The state
 * is written to history after every call, before returning, so that a finaliser working from the
 * record alone (after StopExecution) knows every task set this deployment created.
 *
 * A `start` or `check` that finishes its stage advances to the next one (and completes the deployment
 * after the last) in the same invocation, and names the next state in `route`. A `start` that follows
 * a WAIT or WAIT_APPROVAL first closes it.
 */
export async function runStageTask(action: string, data: ExecutionData, deps: StageTaskDeps, taskToken?: string): Promise<ExecutionData> {
  switch (action) {
    case 'start': {
      const id = data.plan.deploymentId;
      const record = await deps.history.getDeployment(id);
      if (record?.status === 'SUCCESS') return completedAlready(data);
      const current = await closeEndedWait(data, deps.steps);
      assertStillDeploying(current, current === data ? record : await deps.history.getDeployment(id));
      const result = await startStage(stageInput(current), deps.ports);
      await deps.history.setState(current.plan.deploymentId, result.state);
      const next = { ...current, state: result.state };
      const cursor = { ...current.cursor, needsCheck: result.needsCheck, ...(result.detail ? { detail: result.detail } : {}) };
      if (!result.needsCheck) return advanceAndRoute({ ...next, cursor }, deps.steps, { completes: true });
      return { ...next, route: 'WaitStable', cursor: { ...cursor, waitTimeoutSeconds: waitTimeout(next, deps.ports.now()) } };
    }
    case 'await': {
      // The ASL's WaitStable: a task-token wait resumed by an event, a found-ready target, or its timeout.
      if (!taskToken) throw new InvalidStateError('the await action needs the task token ($$.Task.Token)');
      if (deps.ports.now() > deploymentDeadline(data)) {
        throw new DeploymentTimeoutError(`${timeoutMessage(data.plan)} while ${data.cursor.stage?.name ?? 'a stage'} was ${waitingAs(data)}`);
      }
      // The cancel flag is read after the token is stored: `stepcd cancel` sets the flag, then fails
      // the stored token, so one of the two always sees the other.
      const opened = await openStageWait(stageInput(data), taskToken, { ports: deps.ports, waits: deps.history, tokens: deps.tokens }, async () => {
        await assertNotCancelled(data, deps.history);
      });
      return { ...data, cursor: { ...data.cursor, detail: opened.detail } };
    }
    case 'wait': {
      // The ASL's WAIT: a task-token wait that its own timeout ends (the duration) or a cancel fails.
      if (!taskToken) throw new InvalidStateError('the wait action needs the task token ($$.Task.Token)');
      return openWaitStage(data, taskToken, { history: deps.history, tokens: deps.tokens, now: deps.ports.now });
    }
    case 'check': {
      // Every kind of stability or ANALYSIS wait ends within one check of a cancel request.
      if ((await assertNotCancelled(data, deps.history))?.status === 'SUCCESS') return completedAlready(data);
      const result = await checkStage(stageInput(data), deps.ports);
      await deps.history.setState(data.plan.deploymentId, result.state);
      if (result.status === 'failed') throw result.error;
      // A stage still stabilising when spec.timeout passes fails here rather than at its own stableTimeout.
      if (result.status === 'pending' && deps.ports.now() > deploymentDeadline(data)) {
        throw new DeploymentTimeoutError(`${timeoutMessage(data.plan)} while ${data.cursor.stage?.name ?? 'a stage'} was stabilising`);
      }
      const checked: ExecutionData = {
        ...data,
        state: result.state,
        cursor: { ...data.cursor, status: result.status, ...(result.detail ? { detail: result.detail } : {}) },
      };
      return result.status === 'done' ? advanceAndRoute(checked, deps.steps, { completes: true }) : { ...checked, route: 'WaitStable' };
    }
    case 'rollback-traffic': {
      // Only ahead of a rollback: with autoRollback off, traffic stays where the failure left it.
      if (!data.plan.options.autoRollback) return data;
      const result = await restoreTraffic(data.state, deps.ports);
      if (result.restored.length > 0) await deps.history.setState(data.plan.deploymentId, result.state);
      return { ...data, state: result.state };
    }
    case 'rollback': {
      const progress = data.rollback;
      if (!progress) throw new InvalidStateError('rollback step called without rollback progress in the execution data');
      if (rollbackOverdue(progress.startedAt, deps.ports.now())) {
        // No Catch on the rollback loop: the execution fails and the finaliser records it.
        throw new StableTimeoutError(`rollback did not finish within ${ROLLBACK_LIMIT_SECONDS}s (${progress.summary ?? 'no step finished'})`);
      }
      const state = mergeStates((await deps.history.getDeployment(data.plan.deploymentId))?.state, data.state);
      const result = await rollbackStep(
        { plan: data.plan, state, ...(data.lastGood ? { lastGood: data.lastGood } : {}), startedAt: progress.startedAt },
        deps.ports,
      );
      await deps.history.setState(data.plan.deploymentId, result.state);
      return { ...data, state: result.state, rollback: { ...progress, done: result.done, summary: result.summary } };
    }
    default:
      throw new InvalidStateError(`unknown stage action "${action}"`);
  }
}

/**
 * A stage about to change ECS checks that its deployment is still going: a StopExecution does not
 * stop a Lambda already invoked, and the finaliser may be rolling this deployment back by now. One
 * read, and a mutation less for rollback to chase.
 */
function assertStillDeploying(data: ExecutionData, record: DeploymentRecord | undefined): void {
  if (!record) return;
  if (record.status === 'ROLLING_BACK' || FINAL_STATUSES.includes(record.status)) {
    throw new CancelledError(`deployment is ${record.status}; ${data.cursor.stage?.name ?? 'the stage'} was not started`);
  }
  if (record.cancelRequested) throw new CancelledError(`cancelled${byWhom(record.cancelRequestedBy)} before ${data.cursor.stage?.name ?? 'the stage'} started`);
}

async function assertNotCancelled(data: ExecutionData, history: Pick<DeploymentStore, 'getDeployment'>): Promise<DeploymentRecord | undefined> {
  const record = await history.getDeployment(data.plan.deploymentId);
  const stage = data.cursor.stage?.name ?? 'a stage';
  if (record?.cancelRequested && record.status !== 'SUCCESS') {
    throw new CancelledError(`cancelled${byWhom(record.cancelRequestedBy)} while ${stage} was ${waitingAs(data)}`);
  }
  return record;
}

/**
 * The record is SUCCESS, so this is a retry of the task that completed the deployment, whose answer
 * was lost: the work is done, and doing it again would announce DEPLOYMENT_SUCCEEDED twice.
 */
function completedAlready(data: ExecutionData): ExecutionData {
  return { ...data, route: 'Succeeded' };
}

function waitingAs(data: ExecutionData): string {
  return data.cursor.stage?.name === 'ANALYSIS' ? 'analysing' : 'stabilising';
}

/** The TimeoutSeconds of each WaitStable task of the current stage (see waitSliceSeconds). */
function waitTimeout(data: ExecutionData, now: number): number {
  const backstop = data.plan.options.stabilityBackstopSeconds ?? DEFAULT_STABILITY_BACKSTOP_SECONDS;
  return waitSliceSeconds(waitTargetOf(stageInput(data)), backstop, (deploymentDeadline(data) - now) / 1000);
}

function stageInput(data: ExecutionData): StageInput {
  const { plan, cursor, state, lastGood } = data;
  if (!cursor.stage || !cursor.startedAt) throw new InvalidStateError(`no current stage at index ${cursor.index}`);
  return { plan, stage: cursor.stage, state, ...(lastGood ? { lastGood } : {}), startedAt: cursor.startedAt };
}
