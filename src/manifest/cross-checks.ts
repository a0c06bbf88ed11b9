import type { TargetGroupRef } from '../domain/plan.js';
import { StageKind } from '../domain/stage-kinds.js';
import type { AppConfig } from './app-config.js';
import type { ContainerInfo } from './definitions.js';
import type { RE2JS } from 're2js';
import { imagePolicyReason, parseImageReference, type ImagePolicy } from './image-policy.js';
import type { IssueList } from './issues.js';
import { show } from './values.js';

const NEEDS_CANARY_GROUP: readonly StageKind[] = [StageKind.ECS_CANARY_ROLLOUT, StageKind.ECS_TRAFFIC_ROUTING];

/** Stages a standalone task can run: no service, so nothing that creates task sets or moves traffic. */
const STANDALONE_STAGES: readonly StageKind[] = [StageKind.ECS_RUN_TASK, StageKind.WAIT, StageKind.WAIT_APPROVAL, StageKind.ANALYSIS];

/** Checks that app.pipecd.yaml's target groups and pipeline fit each other and the access type. */
export function checkTopology(issues: IssueList, configFile: string, config: AppConfig): void {
  if (config.isStandalone) {
    checkStandalone(issues, configFile, config);
    return;
  }
  const tg = 'target groups';
  const { primary, canary } = config.targetGroups;
  const declared = config.declaredTargetGroups;
  if (config.accessType === 'SERVICE_DISCOVERY') {
    config.stages.forEach((s) => {
      if (s.name === StageKind.ECS_TRAFFIC_ROUTING) {
        issues.error(
          'pipeline',
          configFile,
          `spec.pipeline.stages[${s.index}].name`,
          'ECS_TRAFFIC_ROUTING needs accessType ELB: with SERVICE_DISCOVERY there are no load balancer weights to set',
        );
      }
    });
    if (primary || canary) issues.warn(tg, configFile, 'spec.input.targetGroups', 'is ignored with accessType SERVICE_DISCOVERY');
    return;
  }
  if (!declared.primary) {
    issues.error(tg, configFile, 'spec.input.targetGroups.primary', 'is required when accessType is ELB (the default): stepcd registers the tasks there');
  }
  const needing = config.stages.find((s) => NEEDS_CANARY_GROUP.includes(s.name));
  if (needing && !declared.canary) {
    issues.error(
      tg,
      configFile,
      'spec.input.targetGroups.canary',
      `is required because the pipeline has ${needing.name} (spec.pipeline.stages[${needing.index}])`,
    );
  }
  if (primary && canary && primary.targetGroupArn === canary.targetGroupArn) {
    issues.error(tg, configFile, 'spec.input.targetGroups.canary.targetGroupArn', 'must differ from the primary target group, or traffic could never be split');
  }
}

/**
 * A pipeline may legally end with the canary still up, but it is almost always a mistake: the set
 * keeps running (and keeps any traffic it was given) until some later deployment cleans it.
 */
export function checkPipelineEnd(issues: IssueList, configFile: string, config: AppConfig): void {
  const stages = config.stages;
  const lastCanary = stages.findLastIndex((s) => s.name === StageKind.ECS_CANARY_ROLLOUT);
  if (lastCanary < 0) return;
  const cleaned = stages.some((s, i) => i > lastCanary && s.name === StageKind.ECS_CANARY_CLEAN);
  if (!cleaned) {
    issues.warn(
      'pipeline',
      configFile,
      'spec.pipeline.stages',
      'creates a canary but never runs ECS_CANARY_CLEAN after it: the canary task set keeps running until a later deployment cleans it',
    );
  }
  const lastRoute = stages.findLast((s) => s.name === StageKind.ECS_TRAFFIC_ROUTING);
  if (lastRoute?.name === StageKind.ECS_TRAFFIC_ROUTING && lastRoute.with.canary > 0 && !cleaned) {
    issues.warn(
      'pipeline',
      configFile,
      `spec.pipeline.stages[${lastRoute.index}].with`,
      `leaves ${lastRoute.with.canary}% of traffic on the canary when the pipeline ends`,
    );
  }
}

/** The container and port each target group names must exist in the task definition. */
export function checkTargetContainers(
  issues: IssueList,
  configFile: string,
  taskDefFile: string,
  groups: { primary?: TargetGroupRef; canary?: TargetGroupRef },
  containers: ContainerInfo[],
): void {
  for (const role of ['primary', 'canary'] as const) {
    const group = groups[role];
    if (!group) continue;
    const path = `spec.input.targetGroups.${role}`;
    const container = containers.find((c) => c.name === group.containerName);
    if (!container) {
      const names = containers.map((c) => c.name).join(', ') || 'none';
      issues.error(
        'target groups',
        configFile,
        `${path}.containerName`,
        `${show(group.containerName)} is not a container in ${taskDefFile} (containers: ${names})`,
      );
    } else if (!container.ports.includes(group.containerPort)) {
      const ports = container.ports.join(', ') || 'none';
      issues.error(
        'target groups',
        configFile,
        `${path}.containerPort`,
        `${group.containerPort} is not a containerPort of container ${show(container.name)} in ${taskDefFile} (ports: ${ports})`,
      );
    }
  }
}

/**
 * Every image must be a valid OCI reference, always; and pass the app's image policy: pinned by tag
 * or digest unless allowMutableTags, a tag matching tagPattern, a digest with requireDigest.
 */
export function checkImages(issues: IssueList, taskDefFile: string, containers: ContainerInfo[], policy: ImagePolicy, tagPattern?: RE2JS): void {
  for (const c of containers) {
    if (c.image === undefined) continue;
    const parsed = parseImageReference(c.image);
    const reason = parsed.ok ? imagePolicyReason(parsed.ref, policy, tagPattern) : parsed.reason;
    if (reason) issues.error('image policy', taskDefFile, `${c.path}.image`, `${show(c.image)} ${reason}`);
  }
}

/** A standalone task has no service: refuse what would need one, naming the field. */
function checkStandalone(issues: IssueList, configFile: string, config: AppConfig): void {
  const why = 'a standalone task (no spec.input.serviceDefinitionFile) has no service';
  if (config.declaredTargetGroups.primary || config.declaredTargetGroups.canary) {
    issues.error('target groups', configFile, 'spec.input.targetGroups', `must not be set: ${why} to register in a target group`);
  }
  if (config.accessType === 'SERVICE_DISCOVERY') {
    issues.error('app config', configFile, 'spec.input.accessType', `must not be SERVICE_DISCOVERY: ${why} to make discoverable`);
  }
  for (const s of config.stages) {
    if (STANDALONE_STAGES.includes(s.name)) continue;
    issues.error(
      'pipeline',
      configFile,
      `spec.pipeline.stages[${s.index}].name`,
      `${s.name} cannot run in a standalone task app: ${why} or traffic; use ECS_RUN_TASK (with WAIT, WAIT_APPROVAL, ANALYSIS)`,
    );
  }
  if (config.stages.length > 0 && !config.stages.some((s) => s.name === StageKind.ECS_RUN_TASK)) {
    issues.error('pipeline', configFile, 'spec.pipeline.stages', 'must hold an ECS_RUN_TASK stage: a standalone task app deploys by running its task');
  }
}
