import type { BatchEventPublisher, DeploymentEvent } from '../../src/domain/events.js';
import type { DeploymentPlan } from '../../src/domain/plan.js';
import type { ExecutionInfo, WorkflowPort } from '../../src/domain/workflow.js';
import type { LiveService, ServiceLookup } from '../../src/gitops/service-lookup.js';
import type { ManifestSource } from '../../src/gitops/manifest-source.js';

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

export class CapturedEvents implements BatchEventPublisher {
  readonly events: DeploymentEvent[] = [];
  /** The size of each publishEach call, to count what the trigger batches. */
  readonly batches: number[] = [];
  async publish(event: DeploymentEvent): Promise<void> {
    this.events.push(event);
  }
  async publishEach(events: readonly DeploymentEvent[]): Promise<(Error | undefined)[]> {
    this.batches.push(events.length);
    this.events.push(...events);
    return events.map(() => undefined);
  }
}

/** Answers "which services exist" from a set of `cluster/name`, recording what was asked. */
export class FakeServices implements ServiceLookup {
  readonly asked: string[] = [];
  constructor(private readonly existing = new Set<string>()) {}
  async servicesIn(cluster: string, serviceNames: readonly string[]): Promise<Map<string, LiveService>> {
    this.asked.push(...serviceNames.map((name) => `${cluster}/${name}`));
    return new Map(serviceNames.filter((name) => this.existing.has(`${cluster}/${name}`)).map((name) => [name, {}]));
  }
}

/** Three valid apps and a shared file outside any app; `web` also deploys on shared/web-assets changes. */
export function threeAppRepo(): Record<string, string> {
  const app = (name: string, trigger = '') =>
    `apiVersion: pipecd.dev/v1beta1\nkind: ECSApp\nspec:\n  name: ${name}\n  labels:\n    env: dev\n  input:\n    taskDefinitionFile: taskdef.yaml\n    serviceDefinitionFile: servicedef.yaml\n    targetGroups:\n      primary:\n        targetGroupArn: arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/${name}/0123456789abcdef\n        containerName: app\n        containerPort: 80\n${trigger}`;
  const files: Record<string, string> = { 'shared/README.md': '# shared\n' };
  for (const name of ['api', 'web', 'worker']) {
    files[`apps/${name}/app.pipecd.yaml`] =
      name === 'web' ? app(name, '  trigger:\n    onCommit:\n      paths: [shared/web-assets]\n      ignores: ["apps/web/docs/**"]\n') : app(name);
    files[`apps/${name}/taskdef.yaml`] = taskdef(name);
    files[`apps/${name}/servicedef.yaml`] = `cluster: demo\nserviceName: ${name}\ndesiredCount: 1\ndeploymentController:\n  type: EXTERNAL\n`;
  }
  return files;
}

export function taskdef(family: string, extra = ''): string {
  return `family: ${family}\ncontainerDefinitions:\n  - name: app\n    image: registry.example.com/${family}:1.0.0\n    portMappings:\n      - containerPort: 80\n${extra}`;
}

/** A ManifestSource wrapper that records every file read, to count what the trigger reads. */
export class CountingSource implements ManifestSource {
  readonly reads: string[] = [];
  constructor(private readonly inner: ManifestSource) {}
  listFiles(sha: string) {
    return this.inner.listFiles(sha);
  }
  listTree(sha: string) {
    return this.inner.listTree(sha);
  }
  changedPaths(before: string, after: string) {
    return this.inner.changedPaths(before, after);
  }
  readFile(sha: string, path: string) {
    this.reads.push(path);
    return this.inner.readFile(sha, path);
  }
  /** App config reads only (the files the trigger analysis and the planner share). */
  configReads(): string[] {
    return this.reads.filter((p) => p.endsWith('.pipecd.yaml'));
  }
  reset(): void {
    this.reads.length = 0;
  }
}
