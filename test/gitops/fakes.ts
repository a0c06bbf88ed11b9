import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { DeploymentEvent, EventPublisher } from '../../src/domain/events.js';
import type { DeploymentPlan } from '../../src/domain/plan.js';
import type { ExecutionInfo, WorkflowPort } from '../../src/domain/workflow.js';
import type { ManifestIssue } from '../../src/errors.js';
import type { AppPlanner, PlanOutcome } from '../../src/gitops/trigger.js';

/** Records StartExecution calls; like SFN, the same name returns the same ARN. */
export class RecordingWorkflow implements WorkflowPort {
  readonly started: { name: string; input: DeploymentPlan }[] = [];
  async startExecution(name: string, input: unknown) {
    if (!this.started.some((s) => s.name === name)) this.started.push({ name, input: input as DeploymentPlan });
    return { executionArn: `arn:aws:states:us-east-1:000000000000:execution:deploy:${name}`, startedAt: new Date(0).toISOString() };
  }
  async describeExecution(): Promise<ExecutionInfo | undefined> {
    return undefined;
  }
  async stopExecution(): Promise<void> {}
  async sendTaskSuccess(): Promise<boolean> {
    return false;
  }
  async sendTaskFailure(): Promise<boolean> {
    return false;
  }
}

export class CapturedEvents implements EventPublisher {
  readonly events: DeploymentEvent[] = [];
  async publish(event: DeploymentEvent): Promise<void> {
    this.events.push(event);
  }
}

/**
 * A stand-in for src/manifest + src/plan in unit tests of the use case: it reads `spec.name` and
 * requires `family` in the task definition, which is enough to exercise both outcomes.
 */
export class TestPlanner implements AppPlanner {
  deploymentIdFor(ref: { repo: string; appDir: string; sha: string }): string {
    return createHash('sha256').update(`${ref.repo}\0${ref.appDir}\0${ref.sha}`).digest('hex').slice(0, 20);
  }
  async plan(req: Parameters<AppPlanner['plan']>[0]): Promise<PlanOutcome> {
    const dir = posix.dirname(req.configPath);
    const config = parseYaml((await req.files.read(req.configPath)) ?? '') as { spec?: { name?: string } };
    const name = config?.spec?.name ?? posix.basename(dir);
    const app = { name, dir, labels: {}, repo: req.push.repo };
    const taskdefPath = posix.join(dir, 'taskdef.yaml');
    const taskdef = parseYaml((await req.files.read(taskdefPath)) ?? '{}') as Record<string, unknown>;
    if (!taskdef.family) {
      const issues: ManifestIssue[] = [{ file: taskdefPath, path: 'family', message: 'is required', severity: 'error' }];
      return { ok: false, app, issues };
    }
    const deploymentId = this.deploymentIdFor({ repo: req.push.repo, appDir: dir, sha: req.push.after });
    const plan: DeploymentPlan = {
      deploymentId,
      executionName: `${name}-${req.push.after.slice(0, 7)}-${deploymentId.slice(0, 8)}`,
      app,
      commit: req.push.commit,
      trigger: req.trigger,
      strategy: 'QUICK_SYNC',
      stages: [{ index: 0, name: 'ECS_SYNC', with: { stableTimeoutSeconds: 600 } }],
      taskDefinition: taskdef,
      serviceDefinition: { cluster: 'default', serviceName: name },
      targetGroups: {},
      accessType: 'ELB',
      options: { autoRollback: true, timeoutSeconds: 21600, mentions: [], pollIntervalSeconds: 15 },
      createdAt: req.now.toISOString(),
    };
    return { ok: true, plan };
  }
}

/** Three apps and a shared file outside any app; `web` also deploys on shared/web-assets changes. */
export function threeAppRepo(opts: { brokenApi?: boolean } = {}): Record<string, string> {
  const app = (name: string, trigger = '') =>
    `apiVersion: pipecd.dev/v1beta1\nkind: ECSApp\nspec:\n  name: ${name}\n  input:\n    taskDefinitionFile: taskdef.yaml\n    serviceDefinitionFile: servicedef.yaml\n${trigger}`;
  const taskdef = (family: string) => `family: ${family}\ncontainerDefinitions:\n  - name: app\n    image: nginx:1.27\n`;
  return {
    'apps/api/app.pipecd.yaml': app('api'),
    'apps/api/taskdef.yaml': opts.brokenApi ? 'containerDefinitions: []\n' : taskdef('api'),
    'apps/api/servicedef.yaml': 'cluster: default\nserviceName: api\n',
    'apps/web/app.pipecd.yaml': app('web', '  trigger:\n    onCommit:\n      paths: [shared/web-assets]\n      ignores: ["apps/web/docs/**"]\n'),
    'apps/web/taskdef.yaml': taskdef('web'),
    'apps/web/servicedef.yaml': 'cluster: default\nserviceName: web\n',
    'apps/worker/app.pipecd.yaml': app('worker'),
    'apps/worker/taskdef.yaml': taskdef('worker'),
    'apps/worker/servicedef.yaml': 'cluster: default\nserviceName: worker\n',
    'shared/README.md': '# shared\n',
  };
}
