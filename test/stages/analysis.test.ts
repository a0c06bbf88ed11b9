import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloudWatchClient, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { localClientConfig } from '../../src/aws/client-config.js';
import { emptyDeploymentState } from '../../src/domain/deployment.js';
import type { DeploymentPlan } from '../../src/domain/plan.js';
import { AnalysisFailedError, ErrorName } from '../../src/errors.js';
import { judgeAlarms } from '../../src/stages/analysis.js';
import { checkStage, startStage } from '../../src/stages/index.js';
import { buildPlan, stageInput } from '../support/stage-fixtures.js';
import { startStageWorld, type StageWorld } from '../support/stacks/stage-world.js';
import { putTarget5xxAlarm } from '../support/alarms.js';

const analysisStage = (alarms: string[], durationSeconds = 120) => ({ name: 'ANALYSIS' as const, with: { durationSeconds, alarms } });

describe('ANALYSIS stage over the local CloudWatch', () => {
  let world: StageWorld;
  let cloudwatch: CloudWatchClient;
  beforeEach(async () => {
    world = await startStageWorld();
    cloudwatch = new CloudWatchClient(localClientConfig(world.server.url, 1));
  });
  afterEach(async () => {
    cloudwatch.destroy();
    await world.close();
  });

  const putAlarm = (name: string) => putTarget5xxAlarm(cloudwatch, name);
  const setState = (name: string, state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA', reason: string) =>
    cloudwatch.send(new SetAlarmStateCommand({ AlarmName: name, StateValue: state, StateReason: reason }));
  const planWith = (alarms: string[], durationSeconds = 120): DeploymentPlan =>
    buildPlan(world, { deploymentId: 'dep-analysis', image: 'web:2', stages: [analysisStage(alarms, durationSeconds)] });

  it('watches the alarms and is done once the duration has passed, without touching ECS or ELBv2', async () => {
    await putAlarm('web-5xx');
    await setState('web-5xx', 'OK', 'below threshold');
    const plan = planWith(['web-5xx'], 120);
    const state = emptyDeploymentState();
    const input = stageInput(world, plan, 0, state);

    const started = await startStage(input, world.ports);
    expect(started).toEqual({ state, needsCheck: true, detail: 'watching alarm web-5xx for 120s' });

    world.clock.advance(60_000);
    expect(await checkStage(input, world.ports)).toMatchObject({ status: 'pending', detail: 'no alarm fired so far, 60s of 120s' });
    world.clock.advance(60_000);
    expect(await checkStage(input, world.ports)).toEqual({ status: 'done', state, detail: 'no alarm fired in 120s' });

    expect(world.emulator.calls.all()).toEqual([]);
    expect(world.cloudwatch.calls).toEqual(['PutMetricAlarm', 'SetAlarmState', 'DescribeAlarms', 'DescribeAlarms', 'DescribeAlarms']);
  });

  it('fails the check with the alarm name and its reason when an alarm goes into ALARM', async () => {
    await putAlarm('web-5xx');
    await putAlarm('web-latency');
    await setState('web-5xx', 'OK', 'fine');
    await setState('web-latency', 'OK', 'fine');
    const plan = planWith(['web-5xx', 'web-latency']);
    const input = stageInput(world, plan, 0, emptyDeploymentState());
    await startStage(input, world.ports);

    world.clock.advance(30_000);
    await setState('web-latency', 'ALARM', 'Threshold Crossed: 1 datapoint [1.8] was greater than the threshold (1.0)');
    const result = await checkStage(input, world.ports);
    expect(result).toEqual({ status: 'failed', state: input.state, error: expect.any(AnalysisFailedError) });
    const error = result.status === 'failed' ? result.error : undefined;
    expect(error?.name).toBe(ErrorName.AnalysisFailed);
    expect(error?.message).toBe('alarm web-latency is ALARM: Threshold Crossed: 1 datapoint [1.8] was greater than the threshold (1.0)');
  });

  it('fails at start, naming it, when an alarm does not exist', async () => {
    await putAlarm('web-5xx');
    const input = stageInput(world, planWith(['web-5xx', 'web-5xx-typo']), 0, emptyDeploymentState());
    await expect(startStage(input, world.ports)).rejects.toMatchObject({ name: ErrorName.AnalysisFailed, message: 'alarm web-5xx-typo does not exist' });
  });

  it('fails at start when an alarm is already in ALARM', async () => {
    await putAlarm('web-5xx');
    await setState('web-5xx', 'ALARM', 'already firing');
    const input = stageInput(world, planWith(['web-5xx']), 0, emptyDeploymentState());
    await expect(startStage(input, world.ports)).rejects.toMatchObject({ name: ErrorName.AnalysisFailed, message: 'alarm web-5xx is ALARM: already firing' });
  });

  it('passes an alarm in INSUFFICIENT_DATA, saying so in the detail', async () => {
    await putAlarm('web-5xx');
    const input = stageInput(world, planWith(['web-5xx'], 60), 0, emptyDeploymentState());
    expect((await startStage(input, world.ports)).needsCheck).toBe(true);
    world.clock.advance(60_000);
    expect(await checkStage(input, world.ports)).toMatchObject({ status: 'done', detail: 'no alarm fired in 60s (web-5xx: INSUFFICIENT_DATA)' });
  });
});

describe('judgeAlarms', () => {
  const stage = { index: 0, ...analysisStage(['a', 'b'], 60) };

  it('reports every missing alarm before any firing one', () => {
    expect(judgeAlarms(stage, [{ name: 'b', state: 'ALARM', reason: 'r' }], 0)).toEqual({ status: 'failed', reason: 'alarm a does not exist' });
  });

  it('names every firing alarm in manifest order', () => {
    const found = [
      { name: 'b', state: 'ALARM' as const, reason: 'rb' },
      { name: 'a', state: 'ALARM' as const, reason: 'ra' },
    ];
    expect(judgeAlarms(stage, found, 0)).toEqual({ status: 'failed', reason: 'alarm a is ALARM: ra; alarm b is ALARM: rb' });
  });

  it('stays pending until the full duration has elapsed', () => {
    const ok = [
      { name: 'a', state: 'OK' as const, reason: '' },
      { name: 'b', state: 'OK' as const, reason: '' },
    ];
    expect(judgeAlarms(stage, ok, 59_999).status).toBe('pending');
    expect(judgeAlarms(stage, ok, 60_000).status).toBe('done');
  });
});
