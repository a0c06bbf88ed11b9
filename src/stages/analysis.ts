import { AnalysisFailedError } from '../errors.js';
import type { CheckResult, StartResult } from './types.js';
import type { AlarmStatus, StagePorts } from './ports.js';
import type { StageExecutor, StageInputOf, StageOfKind } from './executor.js';

type AnalysisStage = StageOfKind<'ANALYSIS'>;

/** What one look at the alarms means for the stage; pure, so every rule is tested without CloudWatch. */
export type AnalysisVerdict = { status: 'failed'; reason: string } | { status: 'done'; detail: string } | { status: 'pending'; detail: string };

/**
 * ANALYSIS: the named CloudWatch alarms must stay out of ALARM for `duration`. Reads only; the
 * deployment state (and `touched`) is never changed. An alarm that does not exist fails the stage:
 * a typo must not pass as "never fired". INSUFFICIENT_DATA is not a failure (a quiet canary often
 * has no data points yet), and an alarm already in ALARM at the start fails it, unlike AWS native
 * deployments, which ignore alarms already firing: stepcd would rather not promote into an incident.
 */
export const analysis: StageExecutor<'ANALYSIS'> = {
  async start(input: StageInputOf<'ANALYSIS'>, ports: StagePorts): Promise<StartResult> {
    const { stage } = input;
    const verdict = judgeAlarms(stage, await ports.alarms.describeAlarms(stage.with.alarms), 0);
    // A failure at start is thrown (the check loop never runs); a check failure is returned.
    if (verdict.status === 'failed') throw new AnalysisFailedError(verdict.reason);
    ports.log('analysis started', { alarms: stage.with.alarms, durationSeconds: stage.with.durationSeconds });
    return { state: input.state, needsCheck: true, detail: `watching ${describeAlarms(stage.with.alarms)} for ${stage.with.durationSeconds}s` };
  },

  async check(input: StageInputOf<'ANALYSIS'>, ports: StagePorts): Promise<CheckResult> {
    const { stage } = input;
    const elapsedMs = ports.now() - Date.parse(input.startedAt);
    const verdict = judgeAlarms(stage, await ports.alarms.describeAlarms(stage.with.alarms), elapsedMs);
    if (verdict.status === 'failed') {
      ports.log('analysis failed', { reason: verdict.reason });
      return { status: 'failed', state: input.state, error: new AnalysisFailedError(verdict.reason) };
    }
    return { status: verdict.status, state: input.state, detail: verdict.detail };
  },
};

/**
 * Missing and firing alarms fail, in the manifest's order so the message is stable; otherwise the
 * stage is done once `durationSeconds` have passed since it started.
 */
export function judgeAlarms(
  stage: Pick<AnalysisStage, 'with'> | { with: { alarms: readonly string[]; durationSeconds: number } },
  found: readonly AlarmStatus[],
  elapsedMs: number,
): AnalysisVerdict {
  const byName = new Map(found.map((a) => [a.name, a]));
  const missing = stage.with.alarms.filter((name) => !byName.has(name));
  if (missing.length > 0) {
    return { status: 'failed', reason: missing.map((name) => `alarm ${name} does not exist`).join('; ') };
  }
  const firing = stage.with.alarms.flatMap((name) => {
    const alarm = byName.get(name);
    return alarm?.state === 'ALARM' ? [alarm] : [];
  });
  if (firing.length > 0) {
    return { status: 'failed', reason: firing.map((a) => `alarm ${a.name} is ALARM: ${a.reason}`).join('; ') };
  }
  const noData = stage.with.alarms.filter((name) => byName.get(name)?.state === 'INSUFFICIENT_DATA');
  const note = noData.length > 0 ? ` (${noData.join(', ')}: INSUFFICIENT_DATA)` : '';
  const elapsed = Math.floor(elapsedMs / 1000);
  if (elapsed >= stage.with.durationSeconds) {
    return { status: 'done', detail: `no alarm fired in ${stage.with.durationSeconds}s${note}` };
  }
  return { status: 'pending', detail: `no alarm fired so far, ${elapsed}s of ${stage.with.durationSeconds}s${note}` };
}

function describeAlarms(names: readonly string[]): string {
  return names.length === 1 ? `alarm ${names[0]}` : `${names.length} alarms (${names.join(', ')})`;
}
