import { ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElbAdapter } from '../../src/aws/elbv2.js';
import type { AppDriftResult } from '../../src/drift/check.js';
import { exampleFiles } from '../support/examples.js';
import { startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { startSlackStandin, type SlackStandin } from '../support/slack-standin.js';

const PRIMARY_TG = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/canary-primary/517a9ae02fe8ba58';
const CANARY_TG = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/canary-canary/72e8044a9a76310b';

/**
 * Drift on the local cloud: deployments through the real webhook and ASL, changes made out of band
 * over the real ECS and ELBv2 wire protocols, and the drift-check function's code run on demand.
 */
describe('drift detection', () => {
  let h: StackHarness;
  let slack: SlackStandin;
  let ecs: ECSClient;

  beforeAll(async () => {
    slack = await startSlackStandin();
    h = await startStackHarness({ secrets: { slackBotToken: 'xoxb-test' }, slack: { apiUrl: slack.apiUrl, defaultChannel: 'C-DEPLOY' } });
    ecs = new ECSClient(h.stack.cloud.clientConfigs.ecs);
    const files = await exampleFiles(['canary', 'simple']);
    // The simple app leaves its count to autoscaling: no desiredCount in its service definition.
    files['apps/simple/servicedef.yaml'] = files['apps/simple/servicedef.yaml']!.replace(/^desiredCount: \d+\n/m, '');
    await h.deployBaseline(files);
  });
  afterAll(async () => {
    ecs?.destroy();
    await h?.stop();
    await slack?.close();
  });

  const driftEvents = () => h.stack.cloud.events.events.filter((e) => e.detailType.startsWith('DRIFT_'));
  const driftPosts = () => slack.callsTo('chat.postMessage').filter((c) => c.raw.includes('drift'));
  const resultOf = (results: AppDriftResult[], app: string) => results.find((r) => r.app === app)!;
  const elb = () => createElbAdapter(h.stack.cloud.clientConfigs.elbv2);
  const setWeights = async (primary: number, canary: number) => {
    const port = elb();
    for (const rule of await port.findForwardRules(PRIMARY_TG, CANARY_TG)) {
      await port.setRuleWeights(rule, { primary: PRIMARY_TG, canary: CANARY_TG }, { primary, canary });
    }
  };

  it('finds both apps in sync after their deployments and announces nothing', async () => {
    const results = await h.stack.checkDrift();
    expect(results.map((r) => [r.app, r.status])).toEqual([
      ['canary', 'IN_SYNC'],
      ['simple', 'IN_SYNC'],
    ]);
    expect(driftEvents()).toEqual([]);
  });

  it('detects an out-of-band UpdateService once, and stays silent while it lasts', async () => {
    await ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'canary', desiredCount: 9 }));
    const first = resultOf(await h.stack.checkDrift(), 'canary');
    expect(first).toMatchObject({ status: 'DRIFTED', announced: 'DRIFT_DETECTED' });
    expect(first.status === 'DRIFTED' && first.items).toEqual([{ field: 'service.desiredCount', expected: '4', actual: '9' }]);

    const again = resultOf(await h.stack.checkDrift(), 'canary');
    expect(again).toMatchObject({ status: 'DRIFTED' });
    expect(again).not.toHaveProperty('announced');
    expect(driftEvents().map((e) => e.detailType)).toEqual(['DRIFT_DETECTED']);
    expect(driftEvents()[0]?.detail).toMatchObject({ app: { name: 'canary' }, status: 'DRIFTED', service: { cluster: 'demo', serviceName: 'canary' } });
    expect(driftPosts()).toHaveLength(1);
    expect(driftPosts()[0]?.raw).toContain('service.desiredCount');
  });

  it('announces a changed drift (a ModifyRule on the listener) again, then DRIFT_RESOLVED once all is put back', async () => {
    await setWeights(70, 30);
    const changed = resultOf(await h.stack.checkDrift(), 'canary');
    expect(changed).toMatchObject({ status: 'DRIFTED', announced: 'DRIFT_DETECTED' });
    const fields = changed.status === 'DRIFTED' ? changed.items.map((i) => i.field) : [];
    expect(fields).toContain('service.desiredCount');
    expect(fields.some((f) => f.startsWith('rule.') && f.endsWith('.weights'))).toBe(true);

    await setWeights(100, 0);
    await ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'canary', desiredCount: 4 }));
    const resolved = resultOf(await h.stack.checkDrift(), 'canary');
    expect(resolved).toMatchObject({ status: 'IN_SYNC', announced: 'DRIFT_RESOLVED', items: [] });
    expect(resultOf(await h.stack.checkDrift(), 'canary')).not.toHaveProperty('announced');
    expect(driftEvents().map((e) => e.detailType)).toEqual(['DRIFT_DETECTED', 'DRIFT_DETECTED', 'DRIFT_RESOLVED']);
    expect(driftPosts()).toHaveLength(3);
  });

  it('ignores a desiredCount that autoscaling changed when the manifest leaves it unset', async () => {
    await ecs.send(new UpdateServiceCommand({ cluster: 'demo', service: 'simple', desiredCount: 5 }));
    expect(resultOf(await h.stack.checkDrift(['simple']), 'simple')).toMatchObject({ status: 'IN_SYNC', items: [] });
    expect(driftEvents().filter((e) => (e.detail as { app: { name: string } }).app.name === 'simple')).toEqual([]);
  });

  it('serves the on-demand check on the local front, as `stepcd drift --check --local` calls it', async () => {
    const res = await fetch(`${h.stack.front.url}/local/drift-check`, { method: 'POST', body: JSON.stringify({ apps: ['canary'] }) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { results: AppDriftResult[] }).results).toMatchObject([{ app: 'canary', status: 'IN_SYNC' }]);
  });
});
