/**
 * The one table of stage kinds. ASL state names, the planner, logs and events all use these strings,
 * so a rename here is a rename everywhere.
 */
export const StageKind = {
  ECS_SYNC: 'ECS_SYNC',
  ECS_CANARY_ROLLOUT: 'ECS_CANARY_ROLLOUT',
  ECS_PRIMARY_ROLLOUT: 'ECS_PRIMARY_ROLLOUT',
  ECS_TRAFFIC_ROUTING: 'ECS_TRAFFIC_ROUTING',
  ECS_CANARY_CLEAN: 'ECS_CANARY_CLEAN',
  WAIT: 'WAIT',
  WAIT_APPROVAL: 'WAIT_APPROVAL',
  ANALYSIS: 'ANALYSIS',
  /** stepcd: a one-off task (RunTask) with the new task definition that must exit 0, e.g. a migration; also a standalone app's one stage. */
  ECS_RUN_TASK: 'ECS_RUN_TASK',
} as const;

export type StageKind = (typeof StageKind)[keyof typeof StageKind];

export const STAGE_KINDS: readonly StageKind[] = Object.values(StageKind);

/**
 * Stage kinds that touch ECS or ELBv2 and run through the start → wait → check loop. ANALYSIS runs
 * the same loop but only reads CloudWatch, so it is not here: a failure in it alone needs no rollback.
 */
export const ECS_STAGE_KINDS: readonly StageKind[] = [
  StageKind.ECS_SYNC,
  StageKind.ECS_CANARY_ROLLOUT,
  StageKind.ECS_PRIMARY_ROLLOUT,
  StageKind.ECS_TRAFFIC_ROUTING,
  StageKind.ECS_CANARY_CLEAN,
  StageKind.ECS_RUN_TASK,
];

/** PipeCD stage names stepcd knows but does not run; the validator names them instead of "unknown stage". */
export const UNSUPPORTED_PIPECD_STAGES: readonly string[] = ['SCRIPT_RUN', 'CUSTOM_SYNC', 'ECS_ROLLBACK', 'ROLLBACK'];

export function isStageKind(name: string): name is StageKind {
  return (STAGE_KINDS as readonly string[]).includes(name);
}
