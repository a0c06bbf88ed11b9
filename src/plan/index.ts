export { buildPlan, type BuildPlanInput } from './build-plan.js';
export { chooseStrategy, quickSyncStages, type Strategy, type StrategyInput } from './strategy.js';
export { deploymentIdFor, executionNameFor, type DeploymentIdInput } from './ids.js';
