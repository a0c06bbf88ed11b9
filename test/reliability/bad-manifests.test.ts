import './support/quiet.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FINAL_STATUSES } from '../../src/domain/deployment.js';
import { createLogger } from '../../src/logging.js';
import { deploymentIdFor } from '../../src/plan/ids.js';
import { exampleFiles } from '../support/examples.js';
import { REPO, startStackHarness, type StackHarness } from '../support/stacks/local-stack.js';
import { brokenApp, MANIFEST_CASES } from './support/manifest-cases.js';
import { createSummary } from './support/summary.js';
import { waitFor } from '../support/waits.js';

/**
 * Broken manifests pushed through the real webhook into one local stack: every case is its own app
 * directory in one commit, so one push covers them all. Each must end TRIGGER_FAILED in history
 * with the precise `file: field message`, and no ECS or ELBv2 mutation may happen.
 * (test/manifest/load-app.test.ts checks loadApp's messages in memory; this checks what reaches users.)
 */
const summary = createSummary('bad manifests');
let h: StackHarness;
let sha: string;
let mutatingBefore: number;
let pushStatus: number;
const dirOf = (i: number) => `bad-${String(i).padStart(2, '0')}`;

beforeAll(async () => {
  h = await startStackHarness({ logger: createLogger('reliability', { logLevel: 'SILENT' }) });
  const example = await exampleFiles(['canary']);
  const files: Record<string, string | null> = {};
  MANIFEST_CASES.forEach((c, i) => Object.assign(files, brokenApp(example, dirOf(i), c)));
  mutatingBefore = h.stack.cloud.emulator.calls.count({ mutating: true });
  const pushed = await h.push(files, 'broken manifests');
  sha = pushed.sha;
  pushStatus = pushed.status;
});
afterAll(async () => {
  await h?.stop();
});

const recordOf = (i: number) =>
  waitFor(
    `the record of ${dirOf(i)}`,
    async () => {
      const id = deploymentIdFor({ repo: REPO, configPath: `apps/${dirOf(i)}/app.pipecd.yaml`, sha });
      const r = await h.stack.core.history.getDeployment(id);
      return r && FINAL_STATUSES.includes(r.status) ? r : undefined;
    },
    { everyMs: 10 },
  );

describe(`bad manifests through the webhook (${MANIFEST_CASES.length} apps in one push)`, () => {
  it('answers the push 200 and starts no execution', () => {
    expect(pushStatus).toBe(200);
  });

  it.each(MANIFEST_CASES.map((c, i) => ({ ...c, i })))('$name → TRIGGER_FAILED naming file and field', async ({ name, message, i }) => {
    await summary.track(name, message, async () => {
      const record = await recordOf(i);
      expect(record.status).toBe('TRIGGER_FAILED');
      expect(record.reason?.split('; ')).toContain(`apps/${dirOf(i)}/${message.replaceAll('{dir}', `apps/${dirOf(i)}`)}`);
    });
  });

  it('made no ECS or ELBv2 mutating call and started no execution', async () => {
    for (let i = 0; i < MANIFEST_CASES.length; i++) await recordOf(i);
    expect(h.stack.cloud.sfn.listExecutions({ stateMachineArn: h.stack.stateMachineArn })).toEqual([]);
    expect(h.stack.cloud.emulator.calls.count({ mutating: true })).toBe(mutatingBefore);
    const failedEvents = h.stack.cloud.events.events.filter((e) => e.detailType === 'DEPLOYMENT_TRIGGER_FAILED');
    expect(failedEvents).toHaveLength(MANIFEST_CASES.length);
  });
});
