import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildPlan, runStage, settle, stage, view, startWorldWithV1 } from '../support/stage-fixtures.js';
import type { StageWorld } from '../support/stacks/stage-world.js';
import { emptyDeploymentState, type DeploymentState, type LastGood } from '../../src/domain/deployment.js';

const STICKY = { enabled: true, durationSeconds: 3600 };

describe('canary pipeline against the local cloud', () => {
  let world: StageWorld;
  let lastGood: LastGood;
  let v1Set: string;
  beforeEach(async () => {
    ({ world, lastGood, v1Set } = await startWorldWithV1());
    world.total503 = 0;
  });
  afterEach(async () => {
    await world.close();
  });

  it('rolls out canary 30 → route 20 → primary rollout → route primary 100 → clean, with no 503s', async () => {
    const plan = buildPlan(world, {
      deploymentId: 'd2',
      image: 'acme/web:v2',
      stages: [stage.canary(30), stage.route(80, 20), stage.primary(), stage.route(100, 0), stage.clean()],
    });
    let state: DeploymentState = emptyDeploymentState();

    // ECS_CANARY_ROLLOUT(30): a 30% set in the canary group, carrying no traffic yet.
    state = (await runStage(world, plan, 0, state, lastGood)).state;
    let now = await view(world);
    expect(now.sets).toHaveLength(2);
    expect(now.sets.find((s) => s.id === v1Set)).toMatchObject({ status: 'PRIMARY', desired: 4 });
    expect(now.sets.find((s) => s.id === state.canaryTaskSetId)).toMatchObject({
      status: 'ACTIVE',
      stability: 'STEADY_STATE',
      scale: 30,
      desired: 2,
      running: 2,
      targetGroup: world.canaryTg,
    });
    expect(now.weights.default).toEqual({ primary: 100, canary: 0, stickiness: STICKY });

    // ECS_TRAFFIC_ROUTING(canary 20): both forwarding rules move, stickiness kept, the primary-only rule untouched.
    state = (await runStage(world, plan, 1, state, lastGood)).state;
    now = await view(world);
    expect(now.weights.default).toEqual({ primary: 80, canary: 20, stickiness: STICKY });
    expect(now.weights.api).toEqual({ primary: 80, canary: 20, stickiness: STICKY });
    expect(now.staticTargetGroups).toEqual([world.primaryTg]);
    expect(state.routedRuleArns).toHaveLength(2);
    const logged = world.logs.find((l) => l.message === 'changed listener rule weights');
    expect(logged?.fields?.ruleArns).toEqual(expect.arrayContaining([world.apiRuleArn]));
    const canaryShare = world.emulator.probe({ listenerArn: world.listenerArn, requests: 100, path: '/' }).byTaskSet[state.canaryTaskSetId!];
    expect(canaryShare).toBe(20);

    // ECS_PRIMARY_ROLLOUT: the new version becomes PRIMARY; only the old primary goes, the canary stays.
    state = (await runStage(world, plan, 2, state, lastGood)).state;
    settle(world);
    now = await view(world);
    expect(now.sets.map((s) => s.id).sort()).toEqual([state.canaryTaskSetId, state.primaryTaskSetId].sort());
    expect(now.sets.find((s) => s.id === state.primaryTaskSetId)).toMatchObject({
      status: 'PRIMARY',
      stability: 'STEADY_STATE',
      scale: 100,
      running: 4,
      taskDefinition: state.taskDefinitionArn,
    });
    expect(now.weights.default).toEqual({ primary: 80, canary: 20, stickiness: STICKY });

    // ECS_TRAFFIC_ROUTING(primary 100).
    state = (await runStage(world, plan, 3, state, lastGood)).state;
    now = await view(world);
    expect(now.weights.default).toEqual({ primary: 100, canary: 0, stickiness: STICKY });
    expect(now.weights.api).toEqual({ primary: 100, canary: 0, stickiness: STICKY });

    // ECS_CANARY_CLEAN.
    state = (await runStage(world, plan, 4, state, lastGood)).state;
    settle(world);
    now = await view(world);
    expect(now.sets).toEqual([expect.objectContaining({ id: state.primaryTaskSetId, status: 'PRIMARY' })]);
    expect(world.total503).toBe(0);
    // One revision for the whole deployment (PipeCD #4592).
    expect(world.emulator.calls.byOperation()['ecs:RegisterTaskDefinition']).toBe(2);
  });

  it('runs blue/green (canary 100 → route canary 100 → primary rollout → route primary 100 → clean) with no 503s', async () => {
    const plan = buildPlan(world, {
      deploymentId: 'd2',
      image: 'acme/web:v2',
      stages: [stage.canary(100), stage.route(0, 100), stage.primary(), stage.route(100, 0), stage.clean()],
    });
    let state: DeploymentState = emptyDeploymentState();
    const expectWeights = async (primary: number, canary: number) => {
      const now = await view(world);
      expect(now.weights.default).toEqual({ primary, canary, stickiness: STICKY });
      expect(now.weights.api).toEqual({ primary, canary, stickiness: STICKY });
      return now;
    };

    state = (await runStage(world, plan, 0, state, lastGood)).state;
    expect((await expectWeights(100, 0)).sets.find((s) => s.id === state.canaryTaskSetId)).toMatchObject({ scale: 100, running: 4 });
    state = (await runStage(world, plan, 1, state, lastGood)).state;
    await expectWeights(0, 100);
    const onCanary = world.emulator.probe({ listenerArn: world.listenerArn, requests: 50 });
    expect(onCanary.byTaskSet[state.canaryTaskSetId!]).toBe(50);

    // The #4710 moment: the canary serves all traffic while primary is replaced; it must survive.
    state = (await runStage(world, plan, 2, state, lastGood)).state;
    settle(world);
    const mid = await expectWeights(0, 100);
    expect(mid.sets.map((s) => s.id).sort()).toEqual([state.canaryTaskSetId, state.primaryTaskSetId].sort());

    state = (await runStage(world, plan, 3, state, lastGood)).state;
    await expectWeights(100, 0);
    state = (await runStage(world, plan, 4, state, lastGood)).state;
    settle(world);
    const end = await expectWeights(100, 0);
    expect(end.sets).toEqual([expect.objectContaining({ id: state.primaryTaskSetId, status: 'PRIMARY', stability: 'STEADY_STATE' })]);
    expect(world.total503).toBe(0);
  });
});
