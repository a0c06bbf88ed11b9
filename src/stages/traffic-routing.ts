import type { StartResult } from './types.js';
import type { StagePorts } from './ports.js';
import { doneAlready, type StageExecutor, type StageInputOf } from './executor.js';
import { routeTraffic, targetGroupPair } from './elb/route-traffic.js';
import { routingWeights } from './elb/weights.js';

/**
 * ECS_TRAFFIC_ROUTING(primary | canary): sets the weights on every rule forwarding to both target
 * groups, keeping stickiness, and refuses to give weight to a canary whose targets are not healthy.
 * It finishes inside start.
 */
export const trafficRouting: StageExecutor<'ECS_TRAFFIC_ROUTING'> = {
  async start(input: StageInputOf<'ECS_TRAFFIC_ROUTING'>, ports: StagePorts): Promise<StartResult> {
    const { plan, stage } = input;
    if (!targetGroupPair(plan)) {
      return { state: input.state, needsCheck: false, detail: `no traffic to route: access type ${plan.accessType} without two target groups` };
    }
    const weights = routingWeights(stage.with);
    const routed = await routeTraffic(plan, input.state, ports, weights, { requireRules: true });
    const what = `primary ${weights.primary}% / canary ${weights.canary}%`;
    const detail = routed.changed.length > 0 ? `${what} on ${routed.changed.join(', ')}` : `${what} already set on ${routed.rules.length} rule(s)`;
    return { state: routed.state, needsCheck: false, detail };
  },
  check: doneAlready,
};
