import { executionPlanReader } from '../aws/execution-plan.js';
import { createSfnClient } from '../aws/sfn.js';
import { rollbackApp } from '../operations/rollback.js';
import type { Target } from './context.js';
import type { Output } from './output.js';

export interface RollbackOptions {
  app: string;
  to?: string;
  quick: boolean;
  /** `--as`: a display name only; the actor recorded is the caller's AWS identity. */
  user: string;
}

/**
 * `stepcd rollback <app>`: the recorded plan of the chosen deployment (its execution input) runs
 * again as a new deployment of kind rollback, through the same lock and queue as a push.
 */
export async function rollbackCommand(opts: RollbackOptions, target: Target, out: Output): Promise<number> {
  const readPlan = executionPlanReader(createSfnClient(target.clients.sfn));
  const actor = await target.callerArn();
  const result = await rollbackApp(
    { app: opts.app, ...(opts.to ? { to: opts.to } : {}), quick: opts.quick, actor },
    {
      history: target.history,
      workflow: target.workflow,
      events: target.events,
      planOf: (record) => (record.executionArn ? readPlan(record.executionArn) : Promise.resolve(undefined)),
      now: target.now,
      wallNow: target.now,
    },
  );
  out.data({ ...result, kind: 'rollback', actor, as: opts.user });
  out.line(
    `${out.paint('yellow', 'started')}: rollback of ${opts.app} to deployment ${result.rollbackOf} (commit ${result.commit.slice(0, 7)}, ${result.strategy}), deployment ${result.deploymentId}`,
  );
  out.line(`follow it with: stepcd wait ${result.deploymentId}`);
  return 0;
}
