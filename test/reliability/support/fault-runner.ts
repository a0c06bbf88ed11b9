import type { DeploymentRecord } from '../../../src/domain/deployment.js';
import type { FunctionWrapper, LocalStack } from '../../../src/local/stack.js';
import { createLogger } from '../../../src/logging.js';
import { exampleFiles } from '../../support/examples.js';
import { startStackHarness, type StackHarness } from '../../support/stacks/local-stack.js';
import { assertInvariants, TrafficSampler, type InvariantReport } from './invariants.js';
import { waitFor } from '../../support/waits.js';
import { stageToStart } from '../../../src/orchestrator/route.js';
import type { ExecutionData } from '../../../src/orchestrator/execution-data.js';

/** What a case's hooks get to work with. */
export interface CaseContext {
  stack: LocalStack;
  app: string;
  /** The image tag this case deploys (`registry.example.com/<app>:<tag>`). */
  tag: string;
  deploymentId: () => string;
}

export interface FaultCase {
  name: string;
  /** Why the outcome is what it is; printed in the summary table. */
  note: string;
  app?: string;
  /** Called once, just before the stage Lambda's first `start` of this stage index runs. */
  atStage?: { index: number; arm: (ctx: CaseContext) => void };
  /** Wraps the stage Lambda for the whole case (e.g. to throw once). */
  stageWrapper?: (ctx: CaseContext) => FunctionWrapper;
  /** Called when the deployment announces ROLLING_BACK (e.g. the outage ends). */
  onRollingBack?: (ctx: CaseContext) => void;
  /** Runs after the push, alongside the pipeline (e.g. StopExecution at some point). */
  during?: (ctx: CaseContext) => Promise<void>;
  /** Approve WAIT_APPROVAL as soon as it is requested (default true). */
  approve?: boolean;
  expect: 'SUCCESS' | 'FAILURE' | 'CANCELLED';
  allow503?: boolean;
}

/**
 * One local stack whose apps have a baseline deployed, running fault cases one after another: the
 * emulator's call faults are global to it, so cases sharing a stack must not overlap. Independent
 * groups run side by side on their own stacks.
 */
export interface FaultGroup {
  h: StackHarness;
  run(c: FaultCase): Promise<InvariantReport>;
  stop(): Promise<void>;
}

let tags = 0;

export async function startFaultGroup(apps: string[], files: Record<string, string> = {}): Promise<FaultGroup> {
  const h = await startStackHarness({ logger: createLogger('reliability', { logLevel: 'SILENT' }) });
  const stack = h.stack;
  const baseline = await h.push({ ...(await exampleFiles(apps)), ...files }, 'baseline');
  for (const a of baseline.body.apps ?? []) {
    const done = await stack.cloud.sfn.waitForExecution(a.executionArn!, { timeoutMs: 30_000 });
    if (done.status !== 'SUCCEEDED') throw new Error(`baseline of ${a.app} did not succeed: ${done.error} ${done.cause}`);
  }

  let current: { c: FaultCase; ctx: CaseContext } | undefined;
  stack.cloud.events.subscribe({ source: ['stepcd'], detailType: ['DEPLOYMENT_WAIT_APPROVAL', 'DEPLOYMENT_ROLLING_BACK'] }, async (event) => {
    const id = (event.detail as { deploymentId: string }).deploymentId;
    if (!current || current.ctx.deploymentId() !== id) return;
    if (event.detailType === 'DEPLOYMENT_ROLLING_BACK') current.c.onRollingBack?.(current.ctx);
    else if (current.c.approve !== false) await stack.approvals.approve({ deploymentId: id, user: 'U-RELIABILITY', via: 'cli', now: new Date() });
  });

  async function run(c: FaultCase): Promise<InvariantReport> {
    const app = c.app ?? 'canary';
    const before = (await stack.core.history.getAppState(app)).lastGood;
    if (!before) throw new Error(`${app} has no last good deployment to fall back to`);
    let deploymentId = '';
    const ctx: CaseContext = { stack, app, tag: `9.${++tags}.0`, deploymentId: () => deploymentId };
    let armed = false;
    const wrapper = c.stageWrapper?.(ctx);
    const undo = stack.interceptFunction('stage', async (event, context, next) => {
      const e = event as { action: string; data: ExecutionData };
      if (!armed && c.atStage && e.action === 'start' && stageToStart(e.data)?.index === c.atStage.index) {
        armed = true;
        c.atStage.arm(ctx);
      }
      return wrapper ? wrapper(event, context, next) : next(event, context);
    });
    const sampler = new TrafficSampler(stack, app).start();
    current = { c, ctx };
    try {
      const pushed = await h.bumpImage(app, ctx.tag);
      const mine = pushed.body.apps?.find((a) => a.app === app || a.app === `apps/${app}`);
      if (!mine) throw new Error(`push of ${app}:${ctx.tag} answered ${pushed.status} ${JSON.stringify(pushed.body)}`);
      deploymentId = mine.deploymentId;
      await c.during?.(ctx);
      const version = async (record: DeploymentRecord) => (c.expect === 'SUCCESS' ? (record.state?.taskDefinitionArn ?? '(none)') : before.taskDefinitionArn);
      return await assertInvariants({ stack, app, deploymentId, status: c.expect, version, sampler, allow503: c.allow503 ?? false });
    } finally {
      sampler.stop();
      current = undefined;
      undo();
      stack.cloud.emulator.faults.clear();
    }
  }

  return { h, run, stop: () => h.stop() };
}

/** Resolves once the deployment's record shows `status` (e.g. WAITING_APPROVAL). */
export function untilStatus(ctx: CaseContext, status: string) {
  return waitFor(
    `${ctx.deploymentId()} to be ${status}`,
    async () => ((await ctx.stack.core.history.getDeployment(ctx.deploymentId()))?.status === status ? true : undefined),
    { everyMs: 10 },
  );
}
