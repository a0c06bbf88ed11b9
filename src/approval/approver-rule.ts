import type { DeploymentPlan, PlannedStage } from '../domain/plan.js';
import type { ManifestIssue } from '../manifest/issues.js';

/** `approvers: ['*']`: the stage lets anyone who can click (or reach the CLI) decide, on purpose. */
export const ANYONE = '*';

type ApprovalStage = Extract<PlannedStage, { name: 'WAIT_APPROVAL' }>;

/**
 * The approver rule of ARCHITECTURE §10: a WAIT_APPROVAL stage's own `approvers`, else the stack-wide
 * allowlist; a stage with neither is refused unless it says `approvers: ['*']`. Returns the plan with
 * every approval stage's approvers resolved, and the app's rule for Slack Cancel (every resolved
 * approver, else the allowlist), or the issues that refuse it.
 */
export function resolveApprovers(
  plan: DeploymentPlan,
  /** The app's pipeline as written: checked even when this deployment quick-syncs. */
  pipeline: readonly PlannedStage[],
  stackApprovers: readonly string[],
  configFile: string,
): { ok: true; plan: DeploymentPlan } | { ok: false; issues: ManifestIssue[] } {
  const resolve = (stage: ApprovalStage): string[] => (stage.with.approvers.length > 0 ? stage.with.approvers : [...stackApprovers]);
  const issues = approverIssues(pipeline, stackApprovers, configFile);
  if (issues.length > 0) return { ok: false, issues };
  const stages = plan.stages.map((stage) =>
    stage.name === 'WAIT_APPROVAL' ? ({ ...stage, with: { ...stage.with, approvers: resolve(stage) } } satisfies ApprovalStage) : stage,
  );
  const fromPipeline = pipeline.flatMap((s) => (s.name === 'WAIT_APPROVAL' ? resolve(s) : []));
  const approvers = [...new Set(fromPipeline.length > 0 ? fromPipeline : stackApprovers)];
  return { ok: true, plan: { ...plan, stages, options: { ...plan.options, ...(approvers.length > 0 ? { approvers } : {}) } } };
}

/**
 * The approval stages that nobody may decide: no `approvers` of their own and no stack allowlist.
 * `stackApprovers` undefined means the allowlist is not known here (`stepcd validate` without
 * `--approvers`): such stages are warnings, since the stack they deploy to decides.
 */
export function approverIssues(pipeline: readonly PlannedStage[], stackApprovers: readonly string[] | undefined, configFile: string): ManifestIssue[] {
  return pipeline.flatMap((stage, i): ManifestIssue[] => {
    if (stage.name !== 'WAIT_APPROVAL' || stage.with.approvers.length > 0) return [];
    const path = `spec.pipeline.stages[${i}].with.approvers`;
    if (stackApprovers === undefined) {
      return [
        {
          file: configFile,
          path,
          message: `is empty: the stack's approver allowlist (STEPCD_APPROVERS) decides who may approve, and a stack without one refuses the push; pass --approvers to check against it, or say approvers: ['${ANYONE}'] to let anyone`,
          severity: 'warning',
        },
      ];
    }
    if (stackApprovers.length > 0) return [];
    return [
      {
        file: configFile,
        path,
        message: `is empty and the stack has no approver allowlist (STEPCD_APPROVERS): name the Slack users who may approve, or say approvers: ['${ANYONE}'] to let anyone`,
        severity: 'error',
      },
    ];
  });
}

/** Whether `user` may act under `approvers`: listed, or the list says `*`. An empty list allows nobody. */
export function mayAct(approvers: readonly string[] | undefined, user: string): boolean {
  return (approvers ?? []).some((a) => a === ANYONE || a === user);
}
