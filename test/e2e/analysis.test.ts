import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudWatchClient, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { putTarget5xxAlarm } from '../support/alarms.js';

const ALARM = 'canary-5xx';

/** examples/apps/canary with its approval replaced by a 2-minute ANALYSIS over one alarm. */
const ANALYSIS_PIPELINE = `  pipeline:
    stages:
      - name: ECS_CANARY_ROLLOUT
        with:
          scale: 30
      - name: ECS_TRAFFIC_ROUTING
        with:
          canary: 20
      - name: ANALYSIS
        with:
          duration: 2m
          alarms: [${ALARM}]
      - name: ECS_PRIMARY_ROLLOUT
      - name: ECS_TRAFFIC_ROUTING
        with:
          primary: 100
      - name: ECS_CANARY_CLEAN
`;

/** The ANALYSIS stage through the whole stack: the real ASL, Lambdas and SDK clients over the local cloud. */
describe('ANALYSIS in a canary pipeline', () => {
  let h: StackHarness;
  let cloudwatch: CloudWatchClient;
  let manifest: string;
  let listenerArn: string;

  beforeAll(async () => {
    h = await startStackHarness();
    listenerArn = h.stack.topology!.listenerArn;
    cloudwatch = new CloudWatchClient(h.stack.cloud.clientConfigs.cloudwatch);
    await putTarget5xxAlarm(cloudwatch, ALARM);
    const files = await exampleFiles(['canary']);
    const original = files['apps/canary/app.pipecd.yaml']!;
    manifest = original.slice(0, original.indexOf('  pipeline:\n')) + ANALYSIS_PIPELINE;
    files['apps/canary/app.pipecd.yaml'] = manifest;
    await h.deployBaseline(files, 'add canary with analysis');
  });
  afterAll(async () => {
    cloudwatch?.destroy();
    await h?.stop();
  });

  const setAlarm = (state: 'OK' | 'ALARM', reason: string) =>
    cloudwatch.send(new SetAlarmStateCommand({ AlarmName: ALARM, StateValue: state, StateReason: reason }));

  it('promotes the canary when the alarm stays OK for the whole analysis', async () => {
    await setAlarm('OK', 'no 5xx');
    const { id, arn } = await h.deploy(await h.imageBump('canary', '2.0.0'));
    const run = await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 30_000 });
    expect(run.status).toBe('SUCCEEDED');

    const record = await h.stack.core.history.getDeployment(id);
    expect(record?.status).toBe('SUCCESS');
    expect(record?.stages.find((s) => s.name === 'ANALYSIS')).toMatchObject({ status: 'SUCCESS', detail: 'no alarm fired in 120s' });
    const seen = h.stack.cloud.emulator.probe({ listenerArn, requests: 100, path: '/canary/' });
    expect(Object.keys(seen.byVersion)).toEqual([record?.state?.taskDefinitionArn]);
  });

  it('rolls back to the last good version when the alarm goes into ALARM during the analysis', async () => {
    await setAlarm('OK', 'no 5xx');
    const lastGood = (await h.stack.core.history.getAppState('canary')).lastGood!;
    const reason = 'Threshold Crossed: 1 datapoint [12.0 (01/01/26 00:05:00)] was greater than the threshold (5.0).';
    // The canary "starts failing" once ANALYSIS is under way: its first check sees the alarm fire.
    let fired = false;
    const undo = h.stack.interceptFunction('stage', async (event, context, next) => {
      const { action, data } = event as { action: string; data: { cursor?: { stage?: { name?: string } } } };
      if (!fired && action === 'check' && data.cursor?.stage?.name === 'ANALYSIS') {
        fired = true;
        await setAlarm('ALARM', reason);
      }
      return next(event, context);
    });
    const { id, arn } = await h.deploy(await h.imageBump('canary', '3.0.0'));

    const run = await h.stack.cloud.sfn.waitForExecution(arn, { timeoutMs: 30_000 }).finally(undo);
    expect(fired).toBe(true);
    expect(run.error).toBe('stepcd.AnalysisFailed');
    const record = await h.stack.core.history.getDeployment(id);
    expect(record?.status).toBe('FAILURE');
    expect(record?.reason).toContain(`alarm ${ALARM} is ALARM: ${reason}`);
    expect(record?.errors).toMatchObject([{ stage: 'ANALYSIS', error: 'stepcd.AnalysisFailed' }]);
    expect(record?.stages.find((s) => s.name === 'ECS_PRIMARY_ROLLOUT')?.status).toBe('NOT_STARTED');
    expect(h.eventsOf(id)).toEqual(expect.arrayContaining(['STAGE_FAILED', 'DEPLOYMENT_ROLLING_BACK', 'DEPLOYMENT_FAILED']));

    // Traffic is all on the last good version again, and only its task set is left.
    const seen = h.stack.cloud.emulator.probe({ listenerArn, requests: 100, path: '/canary/' });
    expect(seen.outcomes['503']).toBe(0);
    expect(Object.keys(seen.byVersion)).toEqual([lastGood.taskDefinitionArn]);
    const live = h.stack.cloud.emulator.inspect.taskSetsOf('demo', 'canary').filter((s) => s.status !== 'DRAINING');
    expect(live.map((s) => s.id)).toEqual(lastGood.taskSetIds);
  });
});
