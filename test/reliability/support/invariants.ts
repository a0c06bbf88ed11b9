import { expect } from 'vitest';
import { FINAL_STATUSES, type DeploymentRecord } from '../../../src/domain/deployment.js';
import type { LocalStack } from '../../../src/local/stack.js';
import { waitFor } from '../../support/waits.js';

/**
 * Samples the traffic probe of one app's path every few ms while a case runs, so a 503 that lasts a
 * single step (a weight moved before targets were healthy, a set deleted while it still served) is seen.
 */
export class TrafficSampler {
  private timer: NodeJS.Timeout | undefined;
  samples = 0;
  errors503 = 0;

  constructor(
    private readonly stack: LocalStack,
    private readonly app: string,
  ) {}

  start(): this {
    this.timer = setInterval(() => this.sample(), 3);
    return this;
  }

  sample(): void {
    const out = this.stack.cloud.emulator.probe({ listenerArn: this.stack.topology!.listenerArn, requests: 20, path: `/${this.app}/` });
    this.samples += 1;
    this.errors503 += out.outcomes['503'];
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.sample();
  }
}

export interface InvariantExpectation {
  stack: LocalStack;
  app: string;
  deploymentId: string;
  /** SUCCESS when the fault must be absorbed by retries; otherwise the final status of a clean rollback. */
  status: 'SUCCESS' | 'FAILURE' | 'CANCELLED';
  /** The version (task definition ARN) that must serve 100% at the end: the new one or the last good one. */
  version: string | ((record: DeploymentRecord) => Promise<string> | string);
  sampler: TrafficSampler;
  /** Only for faults that legitimately cause 503s (say why in the case's note). */
  allow503?: boolean;
}

export interface InvariantReport {
  record: DeploymentRecord;
  samples: number;
  errors503: number;
}

/**
 * The invariant after every fault case: every execution of the deployment (the finaliser's
 * rollback-only one included) has ended; the record is final with a reason; the app lock is
 * released; the probe shows 100% on `version`; only that version's task set remains (as PRIMARY);
 * and no 503 was seen unless the fault causes them.
 */
export async function assertInvariants(x: InvariantExpectation): Promise<InvariantReport> {
  const { stack, app, deploymentId } = x;
  const history = stack.core.history;
  const record = await waitFor(
    `deployment ${deploymentId} to end`,
    async () => {
      const r = await history.getDeployment(deploymentId);
      if (!r || !FINAL_STATUSES.includes(r.status)) return undefined;
      return executionsOf(stack, deploymentId).every((e) => e.status !== 'RUNNING') ? r : undefined;
    },
    { timeoutMs: 30_000, everyMs: 10 },
  );
  x.sampler.stop();

  expect(executionsOf(stack, deploymentId).length, 'executions of the deployment').toBeGreaterThan(0);
  expect(record.status, record.reason).toBe(x.status);
  expect(record.endedAt, 'endedAt').toBeTruthy();
  if (x.status !== 'SUCCESS') expect(record.reason ?? '', 'a reason for the failure').not.toBe('');

  const appState = await waitFor(
    'the lock to be released',
    async () => {
      const s = await history.getAppState(app);
      return s.lockHolder === undefined ? s : undefined;
    },
    { timeoutMs: 5_000, everyMs: 10 },
  );
  expect(appState.queue, 'queue').not.toContain(deploymentId);

  const version = typeof x.version === 'string' ? x.version : await x.version(record);
  const probe = stack.cloud.emulator.probe({ listenerArn: stack.topology!.listenerArn, requests: 200, path: `/${app}/` });
  expect(probe.outcomes['503'], '503s after the case').toBe(0);
  expect(probe.byVersion, 'traffic by version').toEqual({ [version]: 200 });

  const sets = stack.cloud.emulator.inspect.taskSetsOf('demo', app).filter((s) => s.status !== 'DRAINING' && s.status !== 'INACTIVE');
  expect(
    sets.map((s) => `${s.status} ${s.taskDefinitionArn}`),
    'task sets left',
  ).toEqual([`PRIMARY ${version}`]);

  if (!x.allow503) expect(x.sampler.errors503, `503s seen in ${x.sampler.samples} samples during the case`).toBe(0);
  return { record, samples: x.sampler.samples, errors503: x.sampler.errors503 };
}

/** Executions whose input plan is this deployment's: the pipeline and any rollback-only run. */
export function executionsOf(stack: LocalStack, deploymentId: string) {
  return stack.cloud.sfn.listExecutions({ stateMachineArn: stack.stateMachineArn }).filter((e) => e.input.includes(`"deploymentId":"${deploymentId}"`));
}
