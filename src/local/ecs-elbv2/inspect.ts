import type { Observer } from './observe.js';
import type { World } from './state.js';
import { taskStatusAt } from './lifecycle.js';
import type { EmulatorTimings } from './types.js';

export interface TaskSetSummary {
  id: string;
  arn: string;
  status: string;
  taskDefinitionArn: string;
  scale: number;
  computedDesiredCount: number;
  runningCount: number;
  pendingCount: number;
  stabilityStatus: string;
  targetGroupArn?: string;
}

export interface WeightSummary {
  ruleArn?: string;
  isDefault: boolean;
  targetGroups: { targetGroupArn: string; weight: number }[];
  stickiness?: { enabled: boolean; durationSeconds?: number };
}

/**
 * Read-only views for tests and the local status page. Tests should assert through the SDK; these are
 * for setup checks and diagnostics. Each call first catches the world up to the clock.
 */
export class Inspector {
  constructor(
    private readonly world: World,
    private readonly observer: Observer,
    private readonly timings: EmulatorTimings,
    private readonly catchUp: () => number,
  ) {}

  taskSetsOf(cluster: string, service: string): TaskSetSummary[] {
    const now = this.catchUp();
    return [...this.world.taskSets.values()]
      .filter((s) => s.cluster === cluster && s.service === service)
      .map((s) => {
        const counts = this.observer.countsOf(s, now);
        return {
          id: s.id,
          arn: s.arn,
          status: s.status,
          taskDefinitionArn: s.taskDefinitionArn,
          scale: s.scale.value,
          ...counts,
          stabilityStatus: s.stabilityStatus,
          targetGroupArn: s.loadBalancers[0]?.targetGroupArn,
        };
      });
  }

  /** Statuses of the tasks a task set has started (stopped ones included). */
  taskStatusesOf(taskSetId: string): string[] {
    const now = this.catchUp();
    return [...this.world.tasks.values()].filter((t) => t.taskSetId === taskSetId).map((t) => taskStatusAt(t, now, this.timings));
  }

  /** The forward weights of every rule of a listener (default rule last). */
  weightsOf(listenerArn: string): WeightSummary[] {
    const listener = this.world.listeners.get(listenerArn);
    if (!listener) return [];
    const rules = [...this.world.rules.values()]
      .filter((r) => r.listenerArn === listenerArn)
      .sort((a, b) => a.priority - b.priority)
      .map((r) => ({ ruleArn: r.arn, isDefault: false, actions: r.actions }));
    return [...rules, { ruleArn: listener.defaultRuleArn, isDefault: true, actions: listener.defaultActions }].flatMap((r) => {
      const forward = r.actions.find((a) => a.forward)?.forward;
      return forward ? [{ ruleArn: r.ruleArn, isDefault: r.isDefault, targetGroups: forward.targetGroups, stickiness: forward.stickiness }] : [];
    });
  }

  /** Target states in a group, e.g. `{ healthy: 2, draining: 1 }`. */
  targetStatesOf(targetGroupArn: string): Record<string, number> {
    const now = this.catchUp();
    const states: Record<string, number> = {};
    for (const t of this.observer.targetsIn(targetGroupArn, now)) states[t.health.state] = (states[t.health.state] ?? 0) + 1;
    return states;
  }
}
