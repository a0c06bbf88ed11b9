import type { ElbOperation } from './context.js';
import { createListener, createRule, deleteListener, deleteRule, describeListeners, describeRules, modifyListener, modifyRule } from './listeners.js';
import { createLoadBalancer, deleteLoadBalancer, describeLoadBalancers } from './load-balancers.js';
import { createTargetGroup, deleteTargetGroup, describeTargetGroups } from './target-groups.js';
import { deregisterTargets, describeTargetHealth, registerTargets } from './targets.js';

/** The ELBv2 operations the emulator answers, by `Action` name. */
export const ELBV2_OPERATIONS: Record<string, ElbOperation> = {
  CreateLoadBalancer: createLoadBalancer,
  DescribeLoadBalancers: describeLoadBalancers,
  DeleteLoadBalancer: deleteLoadBalancer,
  CreateTargetGroup: createTargetGroup,
  DescribeTargetGroups: describeTargetGroups,
  DeleteTargetGroup: deleteTargetGroup,
  CreateListener: createListener,
  DescribeListeners: describeListeners,
  ModifyListener: modifyListener,
  DeleteListener: deleteListener,
  CreateRule: createRule,
  DescribeRules: describeRules,
  ModifyRule: modifyRule,
  DeleteRule: deleteRule,
  RegisterTargets: registerTargets,
  DeregisterTargets: deregisterTargets,
  DescribeTargetHealth: describeTargetHealth,
};
